import DehubCore

/// The keys of a repository's members: the SSH keys of the accounts in `.dehub/config.yml` on `main`
/// (`ssh_public_key` bodies, and `ssh_public_key_file` files under `.dehub/`), read with the same decoder
/// the hook uses. `main` only ever holds configs the hook accepted; a config that does not decode has no
/// members (fail closed: only admins may push).
public enum MemberKeys {
    public static let maxFileBytes = ConfigDecoder.maxBytes

    public static func load(repoPath: String) async -> Set<SSHKeyIdentity> {
        guard let text = await show(repoPath: repoPath, path: Config.path),
            let config = try? ConfigDecoder.decode(Array(text.utf8))
        else { return [] }
        var keys: Set<SSHKeyIdentity> = []
        for reference in references(in: config) {
            switch reference {
            case .inline(let key): keys.insert(key)
            case .file(let path):
                if let file = await show(repoPath: repoPath, path: path) { keys.formUnion(AuthorizedKeysFile.parse(file)) }
            }
        }
        return keys
    }

    /// Where a member's SSH key comes from.
    enum Reference: Equatable {
        case inline(SSHKeyIdentity)
        case file(String)
    }

    /// The SSH keys a config names, in order: inline keys that parse, and key files under `.dehub/`
    /// (the only place the format lets key files live).
    static func references(in config: Config) -> [Reference] {
        config.accounts.flatMap(\.signifiers).compactMap { signifier -> Reference? in
            switch signifier {
            case .sshPublicKey(let body): return SSHKeyIdentity(openSSHLine: body).map(Reference.inline)
            case .sshPublicKeyFile(let path):
                guard let normalized = RepoPath.normalize(path), normalized.hasPrefix(".dehub/") else { return nil }
                return .file(normalized)
            case .pgpPublicKey, .pgpPublicKeyFile: return nil
            }
        }
    }

    private static func show(repoPath: String, path: String) async -> String? {
        guard
            let output = try? await GitCommand.run(
                ["--git-dir", repoPath, "show", "refs/heads/main:" + path], limit: maxFileBytes),
            output.succeeded
        else { return nil }
        return output.stdout
    }
}
