import DehubTestSupport
import Foundation
import Testing

/// The hook at the edges: the first push to an empty server (the root of trust), limits an operator raises, and
/// untrusted text from commits reaching the pusher's terminal.
@Suite("pre-receive hook: edge cases")
struct HookEdgeCaseTests {
    /// A work repo whose main is a single root commit signed by alice only, and an empty server with the hook.
    private func aliceAloneRoot(config: (ScenarioTeam) -> ScenarioConfig) throws -> (Scenario, ScenarioTeam, String) {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.dehubOK("init", s.work, in: s.directory.path)
        let root = try s.change("Initial config", by: team.a, files: [".dehub/config.yml": config(team).render()])
        try s.makeServer()
        return (s, team, root)
    }

    @Test func judgesTheRootCommitByItsOwnConfig() throws {
        let (s, _, _) = try aliceAloneRoot { $0.strictConfig() }
        let result = try s.push("origin", "main")
        expectRefused(result, "check:  access controls", "needs credentials from 2 of [alice, bob, carol]; verified: alice")
        #expect(try s.serverRef("refs/heads/main") == nil)
    }

    @Test func acceptsARootCommitItsOwnConfigAllows() throws {
        let (s, _, root) = try aliceAloneRoot { $0.config() }
        expectAccepted(try s.push("origin", "main"))
        #expect(try s.serverRef("refs/heads/main") == root)
    }

    @Test func refusesARootCommitWithoutCredentials() throws {
        let (s, _, root) = try aliceAloneRoot { $0.config() }
        let stripped = try s.craft(
            message: Scenario.replacingCredentials(in: s.message(of: root), with: "credentials: []\n"), parents: [])
        let result = try s.push("origin", "main")
        expectRefused(result, "check:  root of trust", "is a root commit without a verified credential")
        #expect(try !s.serverHasObject(stripped))
    }

    /// An anonymous credential proves that some key signed, not that an account did: it is no root of trust.
    @Test func refusesARootCommitWithOnlyAnAnonymousCredential() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let stranger = PGPTestKeys.shared.stranger
        try s.importSecretKey(stranger)
        try s.dehubOK("init", s.work, in: s.directory.path)
        try s.write(".dehub/config.yml", team.config().render())
        try s.git("add", "-A")
        try s.dehubOK("commit", "--anon-pgp-key", stranger.keyID, "change", "--descr", "Anonymous root")
        try s.makeServer()
        expectRefused(try s.push("origin", "main"), "check:  root of trust")
        #expect(try s.serverRef("refs/heads/main") == nil)
    }

    @Test func refusesAThreadBeforeMainExists() throws {
        let (s, team, _) = try aliceAloneRoot { $0.config() }
        try s.git("switch", "-q", "-c", "feature")
        try s.change("Thread first", by: team.a, files: ["t.txt": "t\n"])
        expectRefused(try s.push("origin", "feature"), "main does not exist yet", "push main first")
        #expect(try s.serverRef("refs/heads/feature") == nil)
    }

    @Test func gitItselfRefusesANonCommitBranchTip() throws {
        let s = try Scenario()
        _ = try s.guardedRepository()
        try s.git("tag", "-a", "-m", "annotated", "v1")
        let result = try s.push("origin", "refs/tags/v1:refs/heads/tagged")
        #expect(result.exitCode != 0, "\(result.transcript)")
        #expect(try s.serverRef("refs/heads/tagged") == nil)
    }

    /// Format §2.4: a message over 1 MiB is not verifiable. An operator may tighten `dehub.maxMessageBytes`; raised
    /// above the format's limit it must not make the server take commits that `dehub verify` refuses.
    @Test func aRaisedMessageLimitDoesNotLoosenTheFormat() throws {
        let s = try Scenario()
        let team = try s.guardedRepository()
        try s.git("config", "dehub.maxMessageBytes", "4m", in: s.server)
        try s.git("switch", "-q", "-c", "feature")
        let signed = try s.change("Big", by: team.a, files: ["b.txt": "b\n"])
        let padding = String(repeating: "# " + String(repeating: "x", count: 1000) + "\n", count: 1100)
        let big = try s.craft(message: s.message(of: signed) + padding, parents: [s.head("HEAD^")])
        let local = try s.dehub("verify", "--rev", big)
        #expect(local.exitCode == 1, "\(local.transcript)")
        #expect(local.stderrText.contains("more than the limit of 1048576"), "\(local.transcript)")

        let result = try s.push("origin", "feature")
        let serverFeature = try s.serverRef("refs/heads/feature")
        #expect(result.exitCode != 0, "\(result.transcript)")
        #expect(serverFeature == nil)
    }

    /// A commit's head line is untrusted: printed raw, escape sequences can rewrite what a reviewer sees (here a
    /// refused commit poses as an accepted one).
    @Test func doesNotPrintTerminalControlCharactersFromCommits() throws {
        let s = try Scenario()
        _ = try s.guardedRepository()
        try s.git("switch", "-q", "-c", "feature")
        let fake = "\u{1b}[2K\r\u{1b}[32mok 0000000000 change \"reviewed\" by alice, bob, carol\u{1b}[0m"
        try s.write("x.txt", "x\n")
        try s.git("add", "x.txt")
        try s.git("commit", "-q", "-m", "Sneaky" + fake)
        let verify = try s.dehub("verify")
        #expect(verify.exitCode == 1)
        let pushed = try s.push("origin", "feature")
        expectRefused(pushed)
        #expect(!verify.stderrText.contains("\u{1b}"), "\(verify.stderrText.debugDescription)")
        #expect(!verify.stderrText.contains("\r"), "\(verify.stderrText.debugDescription)")
        #expect(!pushed.stderrText.contains("\u{1b}[2K"), "\(pushed.stderrText.debugDescription)")
    }

    /// One push moves main (properly accredited, 2 signatures) and creates a release branch at the same new commit;
    /// the release rules (3 signatures) are never applied to it.
    @Test func appliesAStricterBranchsRulesToCommitsItTakesInTheSamePushAsMain() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let config = team.config(
            accessControls: """
                - action: allow
                  filters:
                  - {type: branch, pattern: "release/*"}
                  - {type: signature, account_ids: [alice, bob, carol], count: 3}
                - action: deny
                  filters:
                  - {type: branch, pattern: "release/*"}

                """ + ScenarioConfig.mainNeeds(2, of: ScenarioTeam.names))
        try s.bootstrap(config, signers: [team.a, team.b, team.c])
        try s.makeServer()
        expectAccepted(try s.push("origin", "main"))
        try s.landOnMain("Two signatures", files: ["t.txt": "t\n"], author: team.a, reviewers: [team.b])
        let result = try s.push("origin", "main", "main:refs/heads/release/1")
        let release = try s.serverRef("refs/heads/release/1")
        #expect(result.exitCode != 0, "\(result.transcript)")
        #expect(release == nil)
    }
}
