/// Reads `authorized_keys`-format files (`DATA/admins`, a repo's `readers`): one key per line,
/// `#` comments, optional options before the key type (ignored).
public enum AuthorizedKeysFile {
    public static func parse(_ text: String) -> [SSHKeyIdentity] {
        var keys: [SSHKeyIdentity] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let words = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            // The key type is the first word that names a known algorithm; options come before it.
            guard let start = words.firstIndex(where: { SSHKeyIdentity.knownAlgorithms.contains(String($0)) }),
                let key = SSHKeyIdentity(openSSHLine: words[start...].joined(separator: " "))
            else { continue }
            keys.append(key)
        }
        return keys
    }

    /// Every key of the file, or none when it does not exist; parsed once per version of the file
    /// (`ParsedFileCache`: the admins and readers files are read on every login and request).
    public static func load(_ path: String) -> [SSHKeyIdentity] { cache.value(atPath: path) }

    private static let cache = ParsedFileCache<[SSHKeyIdentity]> { path in
        guard let text = try? FileIO.readText(path) else { return [] }
        return parse(text)
    }
}
