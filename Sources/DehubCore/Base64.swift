/// Standard base64 (RFC 4648 §4) with padding, strict: no whitespace, no missing padding, no non-zero pad bits.
/// Written here because the pure core avoids Foundation; decoding must be exact for fingerprints and signatures.
/// The one base64 of the project: payloads, SSH key lines and signatures, OpenPGP armour.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// `padded: false` leaves out the final `=` (as `ssh-keygen -l` prints fingerprints).
    public static func encode(_ bytes: [UInt8], padded: Bool = true) -> String {
        let text = encode(bytes)
        return padded ? text : String(text.prefix { $0 != "=" })
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        decode(bytes: Array(text.utf8))
    }

    /// Decodes the ASCII bytes of canonical padded base64, or returns nil.
    public static func decode(bytes input: [UInt8]) -> [UInt8]? {
        guard input.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(input.count / 4 * 3)
        var i = 0
        while i < input.count {
            let last = i + 4 == input.count
            let c0 = reverse[Int(input[i])], c1 = reverse[Int(input[i + 1])]
            guard c0 != 0xff, c1 != 0xff else { return nil }
            let p2 = input[i + 2] == UInt8(ascii: "="), p3 = input[i + 3] == UInt8(ascii: "=")
            if p2 || p3 {
                guard last, p3 else { return nil }
                if p2 {
                    guard c1 & 0x0f == 0 else { return nil }
                    out.append(c0 << 2 | c1 >> 4)
                } else {
                    let c2 = reverse[Int(input[i + 2])]
                    guard c2 != 0xff, c2 & 0x03 == 0 else { return nil }
                    out += [c0 << 2 | c1 >> 4, c1 << 4 | c2 >> 2]
                }
            } else {
                let c2 = reverse[Int(input[i + 2])], c3 = reverse[Int(input[i + 3])]
                guard c2 != 0xff, c3 != 0xff else { return nil }
                out += [c0 << 2 | c1 >> 4, c1 << 4 | c2 >> 2, c2 << 6 | c3]
            }
            i += 4
        }
        return out
    }
}
