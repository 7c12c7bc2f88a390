/// Text from clients (request paths, SSH commands, git's messages) made safe for a log line: control
/// characters, line and paragraph separators and the backslash are written as escapes (`\n`, `\r`, `\t`,
/// `\\`, `\u{1b}`), so no client can end a line and forge the next one, or move the terminal's cursor.
public enum LogText {
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.append(scalar)
                continue
            }
            let escape: String
            switch scalar {
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            case "\\": escape = "\\\\"
            default: escape = "\\u{" + String(scalar.value, radix: 16) + "}"
            }
            out.append(contentsOf: escape.unicodeScalars)
        }
        return String(out)
    }

    /// C0 and C1 controls, DEL, the backslash, and the Unicode line and paragraph separators.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7f...0x9f, 0x2028, 0x2029, 0x5c: true
        default: false
        }
    }
}
