/// The keys of a repository's members: `ssh_public_key` signifiers in `.dehub/config.yml` on `main`.
///
/// This is a deliberately small reader kept behind one function (`MemberKeys.load`), to be replaced
/// by the real config decoder: it takes every `body:` value that is an OpenSSH public key, and every
/// `path:` value whose file on `main` holds one. `main` only ever holds configs the hook accepted.
public enum MemberKeys {
    public static let maxConfigBytes = 1024 * 1024

    public static func load(repoPath: String) async -> Set<SSHKeyIdentity> {
        guard let config = await show(repoPath: repoPath, path: ".dehub/config.yml") else { return [] }
        var keys = Set(parseInlineKeys(config))
        for path in keyFilePaths(config) {
            if let text = await show(repoPath: repoPath, path: path) {
                keys.formUnion(AuthorizedKeysFile.parse(text))
            }
        }
        return keys
    }

    /// `body: ssh-ed25519 AAAA...` (optionally quoted) lines.
    static func parseInlineKeys(_ config: String) -> [SSHKeyIdentity] {
        values(of: "body", in: config).compactMap { SSHKeyIdentity(openSSHLine: $0) }
    }

    /// `path: .dehub/alice.pub` values that sit next to a `type: ssh_public_key_file`.
    static func keyFilePaths(_ config: String) -> [String] {
        guard config.contains("ssh_public_key_file") else { return [] }
        return values(of: "path", in: config).filter { path in
            !path.isEmpty && !path.hasPrefix("/") && !path.contains("..") && !path.contains(":")
                && path.allSatisfy { !$0.isWhitespace }
        }
    }

    static func values(of key: String, in config: String) -> [String] {
        config.split(separator: "\n").compactMap { rawLine in
            var line = rawLine.trimmingSpaces()
            if line.hasPrefix("- ") { line = String(line.dropFirst(2)).trimmingSpaces() }
            guard line.hasPrefix(key + ":") else { return nil }
            var value = String(line.dropFirst(key.count + 1)).trimmingSpaces()
            if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
    }

    private static func show(repoPath: String, path: String) async -> String? {
        guard let output = try? await GitCommand.run(
            ["--git-dir", repoPath, "show", "refs/heads/main:" + path], limit: maxConfigBytes),
            output.succeeded
        else { return nil }
        return output.stdout
    }
}
