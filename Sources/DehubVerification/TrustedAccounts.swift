import DehubCore
import DehubGit
import DehubSignatures

/// Whom a commit's config trusts: its accounts and the fingerprints of their keys, as a user checks them against
/// what the project publishes (`ssh-keygen -lf`, `gpg --fingerprint`).
public enum TrustedAccounts {
    /// One account and the fingerprints of its keys (`ssh-ed25519 SHA256:...`, `openpgp 0123...`).
    public struct Entry: Sendable, Equatable {
        public var account: String
        public var keys: [String]
    }

    /// The accounts of the config in `commit`'s own tree. Throws `VerificationError` when it is not a valid config.
    public static func of(commit: ObjectID, in repo: GitRepository) throws -> [Entry] {
        let tree = try repo.tree(ofCommit: commit)
        switch try ConfigLoader(repository: repo).load(tree: tree) {
        case .failure(let error):
            throw VerificationError(
                "the config at \(commit.short) is invalid: \(TerminalText.safe(error.message))", status: .dataError)
        case .success(let governing):
            return governing.config.accounts.map { account in
                let keys = governing.keys[account.id] ?? GoverningConfig.AccountKeys()
                let ssh = keys.ssh.map { line in
                    (try? SSHPublicKeyLine(parsing: line).description) ?? "ssh key that does not parse"
                }
                let pgp = keys.pgp.map { armored in
                    (try? OpenPGPPublicKey.parse(armored: armored)).map { "openpgp \($0.fingerprint)" }
                        ?? "openpgp key that does not parse"
                }
                return Entry(account: TerminalText.safe(account.id), keys: ssh + pgp)
            }
        }
    }
}
