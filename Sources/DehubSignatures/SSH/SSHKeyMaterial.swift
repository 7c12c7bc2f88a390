import Crypto
import _CryptoExtras

/// The key inside an SSH public key blob, as a swift-crypto key ready to verify with.
enum SSHKeyMaterial: Sendable {
    case ed25519(Curve25519.Signing.PublicKey)
    case p256(P256.Signing.PublicKey)
    case p384(P384.Signing.PublicKey)
    case p521(P521.Signing.PublicKey)
    case rsa(_RSA.Signing.PublicKey, modulusBytes: Int)

    /// Parses and validates a whole key blob. Throws `SSHKeyError` or `SSHWireError`.
    init(blob: [UInt8]) throws {
        var reader = SSHWireReader(blob)
        let typeName = try reader.text("key type")
        guard let type = SSHKeyType(rawValue: typeName) else { throw SSHKeyType.unknown(typeName) }
        switch type {
        case .ed25519:
            let raw = try reader.string("Ed25519 key")
            guard raw.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
                throw SSHKeyError("malformed SSH public key: Ed25519 key must be 32 bytes, got \(raw.count)")
            }
            self = .ed25519(key)
        case .ecdsaP256, .ecdsaP384, .ecdsaP521:
            let curve = try reader.text("curve name")
            guard curve == type.curveName else {
                throw SSHKeyError("SSH public key of type '\(typeName)' names curve '\(curve)'")
            }
            self = try Self.ecdsa(point: try reader.string("EC point"), type: type)
        case .rsa:
            let e = try reader.positiveMPInt("RSA exponent")
            let n = try reader.positiveMPInt("RSA modulus")
            self = try Self.rsa(n: n, e: e)
        }
        try reader.expectEnd("the SSH public key")
    }

    var keyType: SSHKeyType {
        switch self {
        case .ed25519: .ed25519
        case .p256: .ecdsaP256
        case .p384: .ecdsaP384
        case .p521: .ecdsaP521
        case .rsa: .rsa
        }
    }

    /// An uncompressed point (`04 ‖ x ‖ y`) on the type's curve.
    private static func ecdsa(point: [UInt8], type: SSHKeyType) throws -> SSHKeyMaterial {
        let size = type.coordinateSize ?? 0
        guard point.count == 1 + 2 * size, point.first == 0x04 else {
            throw SSHKeyError(
                "malformed SSH public key: \(type.rawValue) point must be \(1 + 2 * size) bytes starting with 04")
        }
        let invalid = SSHKeyError("malformed SSH public key: \(type.rawValue) point is not on the curve")
        switch type {
        case .ecdsaP256:
            guard let key = try? P256.Signing.PublicKey(x963Representation: point) else { throw invalid }
            return .p256(key)
        case .ecdsaP384:
            guard let key = try? P384.Signing.PublicKey(x963Representation: point) else { throw invalid }
            return .p384(key)
        default:
            guard let key = try? P521.Signing.PublicKey(x963Representation: point) else { throw invalid }
            return .p521(key)
        }
    }

    private static func rsa(n: [UInt8], e: [UInt8]) throws -> SSHKeyMaterial {
        let bits = n.isEmpty ? 0 : n.count * 8 - n[0].leadingZeroBitCount
        guard bits >= SSHPublicKey.minimumRSABits else {
            throw SSHKeyError("SSH RSA key has \(bits) bits; at least \(SSHPublicKey.minimumRSABits) are required")
        }
        guard bits <= SSHPublicKey.maximumRSABits else {
            throw SSHKeyError("SSH RSA key has \(bits) bits; at most \(SSHPublicKey.maximumRSABits) are supported")
        }
        guard let key = try? _RSA.Signing.PublicKey(n: n, e: e) else {
            throw SSHKeyError("malformed SSH public key: invalid RSA exponent or modulus")
        }
        return .rsa(key, modulusBytes: n.count)
    }
}

extension SSHKeyType {
    static func unknown(_ name: String) -> SSHKeyError {
        let known = allCases.map(\.rawValue).joined(separator: ", ")
        let shown = name.count > 64 ? String(name.prefix(64)) + "…" : name
        return SSHKeyError("unknown SSH key type '\(shown)' (supported: \(known))")
    }
}
