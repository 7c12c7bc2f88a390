import Crypto
import DehubCore
import DehubGit
import DehubSignatures

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Two accounts, alice and bob, with Ed25519 SSH keys derived from fixed seeds (so a history is the same
/// on every run); they sign alternate commits. The credential is SSHSIG namespace `dehub`, the git signature
/// SSHSIG namespace `git`, both made in-process.
struct SSHHistorySigner: HistorySigner {
    struct Account {
        var id: String
        var signer: Ed25519SSHSigner
        var email: String { "\(id)@bench.example" }
    }

    let accounts: [Account]
    /// Where the `allowedSignersFile` for git is written.
    let allowedSignersPath: String

    init(allowedSignersPath: String) throws {
        self.allowedSignersPath = allowedSignersPath
        accounts = try ["alice", "bob"].map { id in
            // A SHA-256 digest is 32 bytes: an Ed25519 seed.
            let seed = SHA256.hash(data: Array("dehub-bench ssh key \(id)".utf8))
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: Array(seed))
            return Account(id: id, signer: Ed25519SSHSigner(privateKey: key, comment: "\(id)@bench.example"))
        }
    }

    private func account(of index: Int) -> Account { accounts[index % accounts.count] }

    func dehubFiles() throws -> [(name: String, bytes: [UInt8])] {
        var config = "accounts:\n"
        var files: [(name: String, bytes: [UInt8])] = []
        for account in accounts {
            config += "- id: \(account.id)\n  signifiers:\n  - type: ssh_public_key_file\n    path: .dehub/\(account.id).pub\n"
            files.append((name: "\(account.id).pub", bytes: Array((account.signer.publicKeyLine + "\n").utf8)))
        }
        files.append((name: "config.yml", bytes: Array(config.utf8)))
        return files
    }

    func committer(of index: Int) -> (name: String, email: String) {
        let account = account(of: index)
        return (name: account.id.prefix(1).uppercased() + account.id.dropFirst(), email: account.email)
    }

    func credential(over fingerprint: Fingerprint, commit index: Int) throws -> Credential {
        let account = account(of: index)
        let signature = try account.signer.sign(fingerprint.bytes, namespace: "dehub")
        return .ssh(SSHCredential(pubKey: account.signer.publicKey.line, signature: signature, account: account.id))
    }

    func gitSignature(of content: [UInt8], commit index: Int) throws -> String {
        SSHSignatureArmor.armor(try account(of: index).signer.sign(content, namespace: "git"))
    }

    func configure(_ repo: GitRepository) throws {
        let lines = accounts.map { "\($0.email) namespaces=\"git\" \($0.signer.publicKey.line)\n" }.joined()
        guard FileManager.default.createFile(atPath: allowedSignersPath, contents: Data(lines.utf8)) else {
            throw BenchError("cannot write \(allowedSignersPath)")
        }
        try repo.setLocalConfigValue("gpg.ssh.allowedSignersFile", allowedSignersPath)
    }
}
