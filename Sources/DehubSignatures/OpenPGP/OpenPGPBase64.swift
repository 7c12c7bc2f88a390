import DehubCore

/// Strict standard base64 (RFC 4648 §4) for armour bodies: only the alphabet and final `=` padding.
enum OpenPGPBase64 {
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, char) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(char)] = UInt8(index)
        }
        return table
    }()

    static func decode(_ text: [UInt8]) throws -> [UInt8] {
        var padding = 0
        var end = text.count
        while end > 0, text[end - 1] == UInt8(ascii: "="), padding < 2 {
            end -= 1
            padding += 1
        }
        guard (end + padding) % 4 == 0 else { throw invalid() }
        var out: [UInt8] = []
        out.reserveCapacity(end * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for index in 0..<end {
            let value = table[Int(text[index])]
            guard value != 0xFF else { throw invalid() }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(accumulator >> UInt32(bits) & 0xFF))
            }
        }
        // Leftover bits must be zero padding, or the encoding was not canonical.
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { throw invalid() }
        return out
    }

    private static func invalid() -> SignatureFailure {
        SignatureFailure("malformed OpenPGP armour: invalid base64")
    }
}
