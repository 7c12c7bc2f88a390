import DehubCore

/// What dehub reads from a v4 signature's subpackets (RFC 9580 §5.2.3.7).
/// Facts that matter for validity (times, flags) come from the hashed area only; the unhashed area is
/// read only for hints that are checked some other way (the issuer, the embedded cross-signature).
struct OpenPGPSubpackets: Sendable {
    var creationTime: UInt32?
    /// Seconds after `creationTime`; 0 or nil means never.
    var signatureExpirationSeconds: UInt32?
    /// Seconds after the key's creation; 0 or nil means never.
    var keyExpirationSeconds: UInt32?
    var keyFlags: UInt8?
    var issuerKeyID: [UInt8]?
    var issuerFingerprint: [UInt8]?
    /// Body of an embedded signature packet (a primary key binding signature, 0x19).
    var embeddedSignatures: [[UInt8]] = []
    /// Type of a critical subpacket in the hashed area that dehub does not understand.
    var unknownCriticalType: UInt8?

    /// Subpacket types that are safe to see even when marked critical: either acted upon here or
    /// preferences and annotations that do not change what a signature means for dehub.
    private static let understood: Set<UInt8> = [
        2, 3, 4, 7, 9, 11, 12, 16, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 39,
    ]

    static func parse(hashed: [UInt8], unhashed: [UInt8]) throws -> OpenPGPSubpackets {
        var result = OpenPGPSubpackets()
        try forEach(in: hashed) { type, critical, body in try result.readHashed(type: type, critical: critical, body: body) }
        // The unhashed area is not signed: anyone can change it. It only carries hints, so a damaged one is
        // dropped rather than allowed to hide the signature (a revocation, say) it is attached to.
        var hints = result
        if (try? forEach(in: unhashed, { type, _, body in try hints.readUnhashed(type: type, body: body) })) != nil {
            result = hints
        }
        return result
    }

    private mutating func readHashed(type: UInt8, critical: Bool, body: [UInt8]) throws {
        switch type {
        case 2: creationTime = try Self.u32(body)
        case 3: signatureExpirationSeconds = try Self.u32(body)
        case 9: keyExpirationSeconds = try Self.u32(body)
        case 27: keyFlags = body.first ?? 0
        default:
            try readUnhashed(type: type, body: body)
            if critical && !Self.understood.contains(type) && unknownCriticalType == nil { unknownCriticalType = type }
        }
    }

    private mutating func readUnhashed(type: UInt8, body: [UInt8]) throws {
        switch type {
        case 16:
            guard body.count == 8 else { throw Self.malformed("issuer key id") }
            if issuerKeyID == nil { issuerKeyID = body }
        case 33:
            guard let version = body.first else { throw Self.malformed("issuer fingerprint") }
            // Fingerprints of other key versions cannot name a v4 key; they are ignored.
            if version == 4 {
                guard body.count == 21 else { throw Self.malformed("issuer fingerprint") }
                if issuerFingerprint == nil { issuerFingerprint = Array(body.dropFirst()) }
            }
        case 32:
            embeddedSignatures.append(body)
        default:
            break
        }
    }

    private static func forEach(in area: [UInt8], _ body: (UInt8, Bool, [UInt8]) throws -> Void) throws {
        var reader = OpenPGPByteReader(area, context: "signature subpacket")
        while !reader.isAtEnd {
            let first = Int(try reader.u8())
            let length: Int
            switch first {
            case 0..<192: length = first
            case 192..<255: length = (first - 192) << 8 + Int(try reader.u8()) + 192
            default: length = Int(try reader.u32())
            }
            guard length >= 1 else { throw malformed("empty subpacket") }
            let typeByte = try reader.u8()
            try body(typeByte & 0x7F, typeByte & 0x80 != 0, try reader.bytes(length - 1))
        }
    }

    private static func u32(_ body: [UInt8]) throws -> UInt32 {
        guard body.count == 4 else { throw malformed("time field") }
        return body.reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func malformed(_ what: String) -> SignatureFailure {
        SignatureFailure("malformed OpenPGP signature: bad \(what) subpacket")
    }
}
