import DehubCore

/// An OpenPGP public key (a v4 transferable public key: primary key, user IDs, subkeys and their
/// self-signatures), checked once when parsed and then reusable for any number of verifications.
public struct OpenPGPPublicKey: Sendable {
    /// Long key id of the primary key: 16 upper-case hex digits.
    public var primaryKeyID: String { primary.keyID }
    /// Fingerprint of the primary key: 40 upper-case hex digits.
    public var fingerprint: String { primary.packet.fingerprintHex }
    /// Long key ids of the primary key and every subkey, in the order of the key block, whatever they may do.
    public var allKeyIDs: [String] { [primary.keyID] + subkeys.map(\.keyID) }
    /// Long key ids of the keys that may make data signatures: the primary key (if its flags allow signing)
    /// and subkeys with the sign flag, a valid binding and a valid cross-certification; none revoked.
    /// Keys that expire are listed: expiry is judged against each signature's own date.
    public var signingKeyIDs: [String] { components.filter(\.canEverSign).map(\.keyID) }
    /// User IDs (usually `Name <email>`) as stored in the key block, for display only (not checked).
    public let userIDs: [String]
    /// Creation time of the primary key, in seconds since 1970.
    public var creationTime: UInt32 { primary.packet.creationTime }
    /// True when the primary key carries a valid revocation.
    public var isRevoked: Bool { primary.isRevoked }

    let primary: OpenPGPComponentKey
    let subkeys: [OpenPGPComponentKey]
    var components: [OpenPGPComponentKey] { [primary] + subkeys }

    /// Parses an armoured key block that holds exactly one public key (`gpg --export --armor KEY`).
    public static func parse(armored: String) throws -> OpenPGPPublicKey {
        let keys = try parseAll(armored: armored)
        guard keys.count == 1, let key = keys.first else {
            throw SignatureFailure("expected one OpenPGP public key, found \(keys.count) in the key block")
        }
        return key
    }

    /// Parses every public key in the armoured text (one or more PUBLIC KEY BLOCKs, each with one or more keys).
    public static func parseAll(armored: String) throws -> [OpenPGPPublicKey] {
        var keys: [OpenPGPPublicKey] = []
        for block in try OpenPGPArmor.decodeBlocks(armored) {
            guard block.label == "PUBLIC KEY BLOCK" else {
                if block.label == "PRIVATE KEY BLOCK" {
                    throw SignatureFailure("this is a secret key; give the public key instead (gpg --export --armor KEY)")
                }
                throw SignatureFailure("expected -----BEGIN PGP PUBLIC KEY BLOCK-----, found BEGIN PGP \(block.label)")
            }
            keys += try parseAll(binary: block.bytes)
        }
        return keys
    }

    /// Parses every public key in binary form (`gpg --export KEY`).
    public static func parseAll(binary: [UInt8]) throws -> [OpenPGPPublicKey] {
        let packets = try OpenPGPPacket.split(binary, context: "public key")
        return try OpenPGPCertificatePackets.group(packets).map(OpenPGPPublicKey.init(packets:))
    }

    init(packets: OpenPGPCertificatePackets) throws {
        let evaluated = try OpenPGPSelfSignatures.evaluate(packets)
        primary = evaluated.primary
        subkeys = evaluated.subkeys
        userIDs = packets.userIDs.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// The primary key or subkeys with this fingerprint (40 hex) or long key id (16 hex).
    func components(matchingFingerprint fingerprint: [UInt8]) -> [OpenPGPComponentKey] {
        components.filter { $0.packet.fingerprint == fingerprint }
    }

    func components(matchingKeyID keyID: [UInt8]) -> [OpenPGPComponentKey] {
        components.filter { $0.packet.fingerprint.suffix(8).elementsEqual(keyID) }
    }
}
