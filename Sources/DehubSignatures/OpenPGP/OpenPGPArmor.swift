import DehubCore

/// ASCII armour (RFC 4880 §6, RFC 9580 §6): `-----BEGIN PGP <LABEL>-----`, optional `Key: Value` headers,
/// a blank line, base64 lines, an optional `=XXXX` CRC-24 line, and the matching END line.
/// Text outside the blocks is ignored; the CRC is checked when present and tolerated when missing.
enum OpenPGPArmor {
    /// Strict standard base64 (DehubCore's) of an armour body or CRC line.
    private static func base64(_ text: [UInt8]) throws -> [UInt8] {
        guard let bytes = Base64.decode(bytes: text) else {
            throw SignatureFailure("malformed OpenPGP armour: invalid base64")
        }
        return bytes
    }

    struct Block: Equatable {
        var label: String
        var bytes: [UInt8]
    }

    /// Inputs above this size are refused before any work is done.
    static let maximumInputSize = 4 << 20

    static func decodeBlocks(_ text: String) throws -> [Block] {
        guard text.utf8.count <= maximumInputSize else {
            throw SignatureFailure("OpenPGP armour is too large (over \(maximumInputSize >> 20) MiB)")
        }
        var blocks: [Block] = []
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        var remaining = lines.map(trimmed)[...]
        while let line = remaining.popFirst() {
            guard let label = label(of: line, marker: "BEGIN") else { continue }
            blocks.append(try decodeBody(label: label, lines: &remaining))
        }
        guard !blocks.isEmpty else { throw SignatureFailure("no OpenPGP armour found (expected -----BEGIN PGP ...-----)") }
        return blocks
    }

    private static func decodeBody(label: String, lines: inout ArraySlice<Substring>) throws -> Block {
        // Headers run up to the first blank line. Base64 never contains ':', so a missing blank
        // line is tolerated: the first line without ':' starts the body.
        while let line = lines.first, line.contains(":") { lines.removeFirst() }
        if let line = lines.first, line.isEmpty { lines.removeFirst() }

        var base64: [UInt8] = []
        var crc: [UInt8]?
        while let line = lines.popFirst() {
            if let endLabel = self.label(of: line, marker: "END") {
                guard endLabel == label else {
                    throw SignatureFailure("malformed OpenPGP armour: BEGIN PGP \(label) ends with END PGP \(endLabel)")
                }
                let bytes = try Self.base64(base64)
                if let crc {
                    guard crc == crc24(bytes) else {
                        throw SignatureFailure("malformed OpenPGP armour: CRC-24 checksum mismatch")
                    }
                }
                return Block(label: label, bytes: bytes)
            }
            if line.hasPrefix("=") && line.utf8.count == 5 && crc == nil {
                crc = try Self.base64(Array(line.utf8.dropFirst()))
                continue
            }
            if line.isEmpty { continue }
            guard crc == nil else {
                throw SignatureFailure("malformed OpenPGP armour: unexpected line before END PGP \(label)")
            }
            base64.append(contentsOf: line.utf8)
        }
        throw SignatureFailure("malformed OpenPGP armour: missing -----END PGP \(label)-----")
    }

    private static func label(of line: Substring, marker: String) -> String? {
        let prefix = "-----\(marker) PGP "
        guard line.hasPrefix(prefix), line.hasSuffix("-----"), line.utf8.count >= prefix.utf8.count + 5 else { return nil }
        return String(line.dropFirst(prefix.count).dropLast(5))
    }

    private static func trimmed(_ line: Substring) -> Substring {
        var line = line
        while let last = line.last, last == "\r" || last == " " || last == "\t" { line.removeLast() }
        while let first = line.first, first == " " || first == "\t" { line.removeFirst() }
        return line
    }

    /// CRC-24 as defined by RFC 4880 §6.1, big-endian, 3 bytes.
    static func crc24(_ bytes: [UInt8]) -> [UInt8] {
        var crc: UInt32 = 0xB704CE
        for byte in bytes {
            crc ^= UInt32(byte) << 16
            for _ in 0..<8 {
                crc <<= 1
                if crc & 0x100_0000 != 0 { crc ^= 0x186_4CFB }
            }
        }
        crc &= 0xFF_FFFF
        return [UInt8(crc >> 16), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }
}
