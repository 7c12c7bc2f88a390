/// Strict standard base64 (RFC 4648 §4) as OpenSSH writes it: padded, no whitespace, canonical trailing bits.
/// Kept here so that the verifier needs no Foundation and rejects every non-canonical spelling.
enum SSHBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, symbol) in alphabet.enumerated() { table[Int(symbol)] = Int8(index) }
        return table
    }()

    static func encode(_ bytes: [UInt8], padded: Bool = true) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            let available = min(3, bytes.count - index)
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            if available > 1 {
                out.append(alphabet[Int((b1 & 0x0f) << 2 | b2 >> 6)])
            } else if padded {
                out.append(0x3d)
            }
            if available > 2 { out.append(alphabet[Int(b2 & 0x3f)]) } else if padded { out.append(0x3d) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes padded base64, or returns nil when `text` is not canonical padded base64.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let symbols = Array(text.utf8)
        guard symbols.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(symbols.count / 4 * 3)
        var index = 0
        while index < symbols.count {
            let isLast = index + 4 == symbols.count
            let quad = symbols[index..<index + 4]
            let padding = quad.reversed().prefix(while: { $0 == 0x3d }).count
            guard padding <= 2, padding == 0 || isLast else { return nil }
            var group: UInt32 = 0
            for symbol in quad.prefix(4 - padding) {
                let value = values[Int(symbol)]
                guard value >= 0 else { return nil }
                group = group << 6 | UInt32(value)
            }
            group <<= UInt32(6 * padding)
            let decoded = [UInt8(group >> 16 & 0xff), UInt8(group >> 8 & 0xff), UInt8(group & 0xff)]
            // Canonical form: the bits a padded group does not use must be zero.
            guard decoded[(3 - padding)...].allSatisfy({ $0 == 0 }) else { return nil }
            out += decoded.prefix(3 - padding)
            index += 4
        }
        return out
    }
}
