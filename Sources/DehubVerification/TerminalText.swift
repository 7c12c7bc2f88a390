/// Text from commits (heads, descriptions, reasons that quote them) shown on a terminal: control characters,
/// C1 controls and bidirectional overrides are escaped, so that a commit cannot draw a fake "ok" line over a
/// refusal, or reorder what the reader sees.
public enum TerminalText {
    public static func safe(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let isControl = v < 0x20 || v == 0x7f || (0x80...0x9f).contains(v)
            let isBidi = (0x202a...0x202e).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200e || v == 0x200f
            if isControl || isBidi {
                out += v <= 0xff ? "\\x" + hex(v, width: 2) : "\\u{" + hex(v, width: 4) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func hex(_ v: UInt32, width: Int) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
