/// The names a release tag may have (format §4.4): a strict subset of what git accepts after `refs/tags/`, so a
/// name needs no quoting in a message, a command line or a ref.
public enum TagName {
    public static let maxBytes = 128

    /// Why `name` is not a valid tag name, or nil when it is.
    public static func problem(_ name: String) -> String? {
        let rule =
            "must be 1 to \(maxBytes) characters of letters, digits, '.', '_', '-', '+' or '/'"
            + ", in segments that do not start with '.' or '-' and do not end with '.lock'"
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= maxBytes else { return "'\(name)' \(rule)" }
        let allowed = bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
                || b == UInt8(ascii: "/")
        }
        guard allowed else { return "'\(name)' \(rule)" }
        let segments = name.split(separator: "/", omittingEmptySubsequences: false)
        for segment in segments {
            guard !segment.isEmpty, !segment.hasPrefix("."), !segment.hasPrefix("-"), !segment.hasSuffix(".lock"),
                !segment.hasSuffix(".")
            else { return "'\(name)' \(rule)" }
        }
        guard !name.contains("..") else { return "'\(name)' \(rule)" }
        return nil
    }
}
