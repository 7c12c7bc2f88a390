/// Account ids: 1–64 characters of `[A-Za-z0-9._-]`, not starting with `-` or `.`.
public enum AccountID {
    public static let rule = "must be 1 to 64 characters of letters, digits, '.', '_' or '-', not starting with '-' or '.'"

    public static func isValid(_ id: String) -> Bool {
        let b = Array(id.utf8)
        guard (1...64).contains(b.count), b[0] != UInt8(ascii: "-"), b[0] != UInt8(ascii: ".") else { return false }
        return b.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }
    }
}
