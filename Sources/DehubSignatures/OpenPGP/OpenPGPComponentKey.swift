import DehubCore

/// A primary key or subkey after its self-signatures were checked: what it may do and until when.
struct OpenPGPComponentKey: Sendable {
    var packet: OpenPGPKeyPacket
    /// Long key id of the primary key this one belongs to (its own id for the primary).
    var primaryKeyID: String
    /// Why this key can never make an acceptable data signature (no valid binding, no sign flag,
    /// unsupported algorithm), or nil when it can.
    var unusableReason: String?
    /// Set when a valid revocation covers this key.
    var isRevoked = false
    /// Absolute expiry time (seconds since 1970) from the latest valid self-signature or binding.
    var expiresAt: UInt64?
    /// Absolute time at which that self-signature or binding itself expires.
    var bindingExpiresAt: UInt64?

    var keyID: String { packet.keyID }
    var isPrimary: Bool { keyID == primaryKeyID }
    var canEverSign: Bool { unusableReason == nil && !isRevoked }

    /// "key 0123… " or "subkey 0123… of key 4567…", for messages.
    var name: String { isPrimary ? "key \(keyID)" : "subkey \(keyID) of key \(primaryKeyID)" }

    /// Throws unless this key could make a valid signature at `time` (seconds since 1970).
    func checkUsable(at time: UInt32) throws {
        if isRevoked { throw SignatureFailure("\(name) is revoked") }
        if let unusableReason { throw SignatureFailure("\(name) cannot sign: \(unusableReason)") }
        guard time >= packet.creationTime else {
            throw SignatureFailure(
                "signature is dated \(OpenPGPTime.format(UInt64(time))), before \(name) was created (\(OpenPGPTime.format(UInt64(packet.creationTime))))"
            )
        }
        if let expiresAt, UInt64(time) >= expiresAt {
            throw SignatureFailure("\(name) expired on \(OpenPGPTime.format(expiresAt))")
        }
        if let bindingExpiresAt, UInt64(time) >= bindingExpiresAt {
            throw SignatureFailure("\(name): its self-signature expired on \(OpenPGPTime.format(bindingExpiresAt))")
        }
    }
}
