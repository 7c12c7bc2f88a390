import DehubTestSupport
import Foundation
import Testing

/// `dehub commit` signing with SSH keys: a key file, a key in ~/.ssh, a key in ssh-agent, Ed25519 and ECDSA.
@Suite("dehub commit with SSH keys")
struct CommitSSHTests {
    /// A repository whose root (by alice) has the team's accounts and the default rules, on a thread `feature`.
    private func onThread() throws -> (Scenario, ScenarioTeam) {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(team.config(), signers: [team.a])
        try s.git("switch", "-q", "-c", "feature")
        return (s, team)
    }

    @Test func changeCommentAndCredentialWithKeyFiles() throws {
        let (s, team) = try onThread()
        let change = try s.change("Add hello\n\nA greeting.", by: team.a, files: ["hello.txt": "hello\n"])
        let comment = try s.comment("Looks good to me.", by: team.b)
        let credential = try s.credential(start: change, by: team.c)

        #expect(try s.git("log", "-1", "--format=%s", change) == "Add hello")
        #expect(try s.git("log", "-1", "--format=%s", comment) == "Comment: \"Looks good to me.\"")
        #expect(try s.git("log", "-1", "--format=%s", credential) == "Credential of carol")

        let changeMessage = try s.message(of: change)
        #expect(changeMessage.contains("type: change"))
        #expect(changeMessage.contains("type: ssh_signature"))
        #expect(changeMessage.contains("account: alice"))
        #expect(
            changeMessage.contains("pub_key: " + team.alice.publicKeyLine.split(separator: " ").prefix(2).joined(separator: " ")))
        let credentialMessage = try s.message(of: credential)
        #expect(credentialMessage.contains("type: credential"))
        #expect(credentialMessage.contains("- " + change), "the credential lists the change it accredits")
        #expect(credentialMessage.contains("ecdsa-sha2-nistp256"), "carol signs with ECDSA P-256")

        let verified = try s.dehub("verify", "--range", "main..feature")
        #expect(verified.exitCode == 0, "\(verified.transcript)")
        #expect(verified.stdoutText.contains("ok \(short(change)) change \"Add hello\" by alice"), "\(verified.transcript)")
        #expect(verified.stdoutText.contains("ok \(short(comment)) comment"), "\(verified.transcript)")
        #expect(verified.stdoutText.contains("ok \(short(credential)) credential \"Credential of carol\" by carol"))
        #expect(verified.stderrText.contains("3 of 3 commit(s) verified on branch 'feature'"), "\(verified.transcript)")
        // The work tree, index and branch agree after dehub commits: nothing left to commit.
        #expect(try s.git("status", "--porcelain") == "")
    }

    @Test func findsTheAccountKeyInHomeSSH() throws {
        let (s, team) = try onThread()
        try s.installInHome(team.alice, as: "id_ed25519")
        try s.installInHome(team.carol, as: "id_ecdsa")
        let change = try s.change("From ~/.ssh", by: ScenarioSigner("alice"), files: ["a.txt": "a\n"])
        #expect(try s.message(of: change).contains("account: alice"))
        let comment = try s.comment("ECDSA from ~/.ssh", by: ScenarioSigner("carol"))
        #expect(try s.message(of: comment).contains("ecdsa-sha2-nistp256"))
        #expect(try s.dehub("verify", "--range", "main..feature").exitCode == 0)
    }

    @Test func signsThroughSSHAgent() throws {
        let (s, team) = try onThread()
        try s.startAgent()
        try s.addToAgent(team.bob)
        // bob's private key is neither in ~/.ssh nor given: only the agent can sign.
        try FileManager.default.removeItem(atPath: team.bob.privateKeyPath)
        let change = try s.change("Through the agent", by: ScenarioSigner("bob"), files: ["b.txt": "b\n"])
        #expect(try s.message(of: change).contains("account: bob"))
        let verified = try s.dehub("verify", "--rev", change)
        #expect(verified.exitCode == 0, "\(verified.transcript)")
    }

    /// ~/.ssh/id_ed25519.pub is alice's, but the private key beside it is bob's: the signature must not go out.
    @Test func refusesAMismatchedKeyPairInHomeSSH() throws {
        let (s, team) = try onThread()
        try s.installInHome(team.alice, as: "id_ed25519")
        try FileManager.default.removeItem(atPath: s.home + "/.ssh/id_ed25519")
        try FileManager.default.copyItem(atPath: team.bob.privateKeyPath, toPath: s.home + "/.ssh/id_ed25519")
        let before = try s.head()
        let result = try s.dehub("commit", "--as", "alice", "comment", "--comment", "mismatched")
        #expect(result.exitCode == 69, "\(result.transcript)")
        #expect(result.stderrText.contains("no key of account 'alice' is available to sign"), "\(result.transcript)")
        #expect(try s.head() == before)
    }

    @Test func refusesAKeyThatIsNotTheAccounts() throws {
        let (s, team) = try onThread()
        let before = try s.head()
        try s.write("x.txt", "x\n")
        try s.git("add", "x.txt")
        let result = try s.dehub("commit", "--as", "alice", "--sign-key", team.bob.privateKeyPath, "change", "--descr", "x")
        #expect(result.exitCode == 65, "\(result.transcript)")
        #expect(result.stderrText.contains("is not one of account 'alice''s keys"), "\(result.transcript)")
        #expect(try s.head() == before, "no commit was made")
    }

    /// A key file that does not exist: ssh-keygen exits before it reads the message that dehub writes to its stdin.
    /// dehub must explain (exit 69) every time, never die of SIGPIPE (exit 141). The race is lost now and then, so
    /// the command runs many times.
    @Test func explainsAMissingKeyFileEveryTime() throws {
        let (s, _) = try onThread()
        try s.write("x.txt", "x\n")
        try s.git("add", "x.txt")
        var codes: [Int32: Int] = [:]
        for _ in 0..<40 {
            let result = try s.dehub("commit", "--as", "alice", "--sign-key", "/nonexistent/key", "change", "--descr", "x")
            codes[result.exitCode, default: 0] += 1
            if result.exitCode == 69 {
                #expect(result.stderrText.contains("could not sign with /nonexistent/key"), "\(result.transcript)")
            }
        }
        #expect(codes == [69: 40], "exit codes: \(codes)")
    }

    @Test func refusesAnAccountTheConfigDoesNotDefine() throws {
        let (s, team) = try onThread()
        try s.write("x.txt", "x\n")
        try s.git("add", "x.txt")
        let result = try s.dehub("commit", "--as", "mallory", "--sign-key", team.alice.privateKeyPath, "change", "--descr", "x")
        #expect(result.exitCode == 65, "\(result.transcript)")
        #expect(result.stderrText.contains("account 'mallory' is not in the config"), "\(result.transcript)")
        #expect(result.stderrText.contains("known accounts: alice, bob, carol"), "\(result.transcript)")
    }

    @Test func saysWhenNoKeyOfTheAccountIsAvailable() throws {
        let (s, _) = try onThread()
        let result = try s.dehub("commit", "--as", "alice", "comment", "--comment", "no key anywhere")
        #expect(result.exitCode == 69, "\(result.transcript)")
        #expect(result.stderrText.contains("no key of account 'alice' is available to sign"), "\(result.transcript)")
        #expect(result.stderrText.contains("hint:"), "\(result.transcript)")
    }

    @Test func refusesAChangeWithNothingStaged() throws {
        let (s, team) = try onThread()
        let result = try s.dehub(["commit"] + team.a.arguments + ["change", "--descr", "empty"])
        #expect(result.exitCode == 65, "\(result.transcript)")
        #expect(result.stderrText.contains("nothing to commit"), "\(result.transcript)")
    }

    @Test func refusesToCommitOnADetachedHead() throws {
        let (s, team) = try onThread()
        try s.git("checkout", "-q", "--detach", "HEAD")
        let result = try s.dehub(["commit"] + team.a.arguments + ["comment", "--comment", "detached"])
        #expect(result.exitCode == 65, "\(result.transcript)")
        #expect(result.stderrText.contains("HEAD is detached"), "\(result.transcript)")
    }
}
