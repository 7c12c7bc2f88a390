import DehubCore

/// The ASCII armour of SSHSIG (`-----BEGIN SSH SIGNATURE-----`, base64 in 70-column lines,
/// `-----END SSH SIGNATURE-----`), as `ssh-keygen -Y sign` writes it and git stores it in a commit's `gpgsig` header.
public enum SSHSignatureArmor {
    public static let beginLine = "-----BEGIN SSH SIGNATURE-----"
    public static let endLine = "-----END SSH SIGNATURE-----"
    static let lineWidth = 70

    /// Armours a binary SSHSIG blob exactly like `ssh-keygen` (ending with a newline).
    public static func armor(_ blob: [UInt8]) -> String {
        let body = Array(Base64.encode(blob))
        var lines = [beginLine]
        var start = 0
        while start < body.count {
            let end = min(start + lineWidth, body.count)
            lines.append(String(body[start..<end]))
            start = end
        }
        lines.append(endLine)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Removes the armour. Accepts `\n` or `\r\n` line ends, blank lines and blanks around the block,
    /// and nothing else: no text before the begin line or after the end line, strict base64 in between.
    /// Throws `SignatureFailure`.
    public static func dearmor(_ text: String) throws -> [UInt8] {
        let lines = text.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        )
        .map(trimmed)
        .filter { !$0.isEmpty }
        guard lines.first == beginLine[...] else {
            throw SignatureFailure("SSH signature does not start with '\(beginLine)'")
        }
        guard lines.count >= 2, lines.last == endLine[...] else {
            throw SignatureFailure("SSH signature does not end with '\(endLine)'")
        }
        let body = lines.dropFirst().dropLast().joined()
        guard !body.isEmpty else { throw SignatureFailure("SSH signature armour is empty") }
        guard let blob = Base64.decode(body) else { throw SignatureFailure("SSH signature armour has bad base64") }
        return blob
    }

    private static func trimmed(_ line: Substring) -> Substring {
        let isBlank = { (c: Character) in c == " " || c == "\t" }
        guard let first = line.firstIndex(where: { !isBlank($0) }), let last = line.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return line[first...last]
    }
}
