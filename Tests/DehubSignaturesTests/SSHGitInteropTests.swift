import DehubCore
import DehubTestSupport
import Testing

@testable import DehubSignatures

/// git stores SSH signatures armoured in the commit's `gpgsig` header (namespace `git`); the verifier must read them.
@Suite("SSH signatures made by git")
struct SSHGitInteropTests {
    /// Splits a raw commit object into the signature armour and the signed bytes (the object without `gpgsig`).
    static func split(commit: [UInt8]) -> (armor: String, signed: [UInt8]) {
        var armor: [String] = []
        var signed: [String] = []
        var inSignature = false
        var inHeaders = true
        let lines = String(decoding: commit, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines {
            if inHeaders, line.isEmpty { inHeaders = false }
            if inHeaders, line.hasPrefix("gpgsig ") {
                inSignature = true
                armor.append(String(line.dropFirst(7)))
            } else if inHeaders, inSignature, line.hasPrefix(" ") {
                armor.append(String(line.dropFirst()))
            } else {
                inSignature = false
                signed.append(String(line))
            }
        }
        return (armor.joined(separator: "\n"), Array(signed.joined(separator: "\n").utf8))
    }

    @Test("a commit signed by git with gpg.format=ssh verifies", arguments: [SSHTestKeyType.ed25519, .ecdsa256])
    func gitCommitSignature(type: SSHTestKeyType) throws {
        let workspace = try SSHTestWorkspace()
        let made = try workspace.makeKey(type)
        let repo = workspace.path("repo")
        let env = workspace.environment.merging([
            "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
        ]) { _, new in new }
        let git = { (arguments: [String]) in
            try CommandRunner.check("git", ["-C", repo] + arguments, environment: env)
        }
        try CommandRunner.check("git", ["init", "-q", repo], environment: env)
        _ = try git([
            "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "gpg.format=ssh",
            "-c", "user.signingkey=\(made.privateKeyPath)", "commit", "-q", "-S", "--allow-empty", "-m", "signed",
        ])
        let object = try git(["cat-file", "commit", "HEAD"]).stdout
        let (armor, signed) = Self.split(commit: object)
        let blob = try SSHSignatureArmor.dearmor(armor)
        let key = try SSHPublicKey(line: made.publicKeyLine)

        try SSHSignatureVerifier().verify(signature: blob, over: signed, publicKey: key, namespace: "git")
        #expect(throws: SignatureFailure("SSH signature is for namespace 'git', expected 'dehub'")) {
            try SSHSignatureVerifier().verify(signature: blob, over: signed, publicKey: key)
        }
        #expect(throws: SignatureFailure("bad SSH signature")) {
            try SSHSignatureVerifier().verify(signature: blob, over: signed + [0x0a], publicKey: key, namespace: "git")
        }
    }
}
