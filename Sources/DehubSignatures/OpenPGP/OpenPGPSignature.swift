import DehubCore

/// A parsed v4 OpenPGP signature packet (RFC 9580 §5.2.3): a detached data signature, or one of the
/// self-signatures, bindings and revocations inside a key.
public struct OpenPGPSignature: Sendable {
    /// Signature type: 0x00 binary document, 0x10–0x13 user ID certification, 0x18 subkey binding,
    /// 0x19 primary key binding, 0x1F direct key, 0x20 key revocation, 0x28 subkey revocation, 0x30 certification revocation.
    public let signatureType: UInt8
    public let publicKeyAlgorithm: UInt8
    public let hashAlgorithmID: UInt8
    /// Seconds since 1970 from the hashed creation-time subpacket (nil when missing, which makes it invalid).
    public var creationTime: UInt32? { subpackets.creationTime }
    /// Seconds after `creationTime` after which the signature expires (nil: never). The verifier has no clock
    /// and does not judge it; callers that have one may.
    public var expirationSeconds: UInt32? { subpackets.signatureExpirationSeconds.flatMap { $0 == 0 ? nil : $0 } }
    /// Long key id of the issuer (16 upper-case hex digits), from the issuer fingerprint or the issuer subpacket.
    /// A claim only: the verifier checks it cryptographically.
    public var issuerKeyID: String? {
        if let fingerprint = subpackets.issuerFingerprint { return openPGPHex(fingerprint.suffix(8)) }
        return subpackets.issuerKeyID.map { openPGPHex($0) }
    }
    /// 40 upper-case hex digits, when the signature carries an issuer fingerprint subpacket.
    public var issuerFingerprint: String? { subpackets.issuerFingerprint.map { openPGPHex($0) } }

    let subpackets: OpenPGPSubpackets
    /// Version through the end of the hashed subpackets: what the trailer counts and the hash covers.
    let hashedPart: [UInt8]
    let hashLeft16: [UInt8]
    let value: OpenPGPSignatureValue

    /// Parses one binary signature packet (a detached signature as `gpg --detach-sign` writes it).
    public static func parse(binary: [UInt8]) throws -> OpenPGPSignature {
        let packets = try OpenPGPPacket.split(binary, context: "signature")
        guard packets.count == 1, let packet = packets.first else {
            throw SignatureFailure("malformed OpenPGP signature: expected exactly one packet, found \(packets.count)")
        }
        guard packet.tag == OpenPGPPacket.Tag.signature.rawValue else {
            throw SignatureFailure("malformed OpenPGP signature: packet tag \(packet.tag) is not a signature")
        }
        return try OpenPGPSignature(body: packet.body)
    }

    /// Parses the armoured form (`-----BEGIN PGP SIGNATURE-----`).
    public static func parse(armored: String) throws -> OpenPGPSignature {
        let blocks = try OpenPGPArmor.decodeBlocks(armored)
        guard blocks.count == 1, let block = blocks.first, block.label == "SIGNATURE" else {
            throw SignatureFailure("expected one -----BEGIN PGP SIGNATURE----- block")
        }
        return try parse(binary: block.bytes)
    }

    init(body: [UInt8]) throws {
        var reader = OpenPGPByteReader(body, context: "signature")
        let version = try reader.u8()
        guard version == 4 else {
            throw SignatureFailure("OpenPGP signature version \(version) is not supported (only version 4)")
        }
        signatureType = try reader.u8()
        publicKeyAlgorithm = try reader.u8()
        hashAlgorithmID = try reader.u8()
        let hashed = try reader.bytes(try reader.u16())
        hashedPart = Array(body[0..<reader.offset])
        let unhashed = try reader.bytes(try reader.u16())
        subpackets = try OpenPGPSubpackets.parse(hashed: hashed, unhashed: unhashed)
        hashLeft16 = try reader.bytes(2)
        value = try OpenPGPSignatureValue.read(algorithm: publicKeyAlgorithm, from: &reader)
    }

    /// The hash input after the signed data: the hashed part and the v4 trailer 0x04 0xFF ‖ uint32 length.
    var trailer: [UInt8] {
        let count = UInt32(hashedPart.count)
        return hashedPart + [
            0x04, 0xFF, UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF),
        ]
    }
}

/// The algorithm-specific signature fields.
enum OpenPGPSignatureValue: Sendable {
    /// RSA: m^d mod n, as stored (leading zeros may be missing).
    case rsa([UInt8])
    /// EdDSA (legacy 22 or Ed25519 27): the 64-byte native signature R ‖ S.
    case ed25519([UInt8])
    case unsupported(algorithm: UInt8)

    static func read(algorithm: UInt8, from reader: inout OpenPGPByteReader) throws -> OpenPGPSignatureValue {
        switch algorithm {
        case 1, 3:
            let value = try reader.mpi()
            try reader.expectEnd()
            return .rsa(value)
        case 22:
            // r and s are the native little-endian strings stored as MPIs, so leading zero bytes were dropped.
            let r = try reader.mpi(), s = try reader.mpi()
            try reader.expectEnd()
            guard r.count <= 32, s.count <= 32 else {
                throw SignatureFailure("malformed OpenPGP signature: EdDSA value too long")
            }
            return .ed25519(openPGPLeftPadded(r, to: 32) + openPGPLeftPadded(s, to: 32))
        case 27:
            let value = try reader.bytes(64)
            try reader.expectEnd()
            return .ed25519(value)
        default:
            _ = reader.rest()
            return .unsupported(algorithm: algorithm)
        }
    }
}

func openPGPLeftPadded(_ bytes: [UInt8], to count: Int) -> [UInt8] {
    bytes.count >= count ? bytes : [UInt8](repeating: 0, count: count - bytes.count) + bytes
}
