/// The SSH public key types dehub accepts.
public enum SSHKeyType: String, Sendable, Hashable, CaseIterable {
    case ed25519 = "ssh-ed25519"
    case ecdsaP256 = "ecdsa-sha2-nistp256"
    case ecdsaP384 = "ecdsa-sha2-nistp384"
    case ecdsaP521 = "ecdsa-sha2-nistp521"
    case rsa = "ssh-rsa"

    /// The curve name an ECDSA key blob must carry after its type, or nil for other types.
    var curveName: String? {
        switch self {
        case .ecdsaP256: "nistp256"
        case .ecdsaP384: "nistp384"
        case .ecdsaP521: "nistp521"
        case .ed25519, .rsa: nil
        }
    }

    /// Bytes of one field element (one coordinate) of an ECDSA curve, or nil for other types.
    var coordinateSize: Int? {
        switch self {
        case .ecdsaP256: 32
        case .ecdsaP384: 48
        case .ecdsaP521: 66
        case .ed25519, .rsa: nil
        }
    }
}
