import DehubTestSupport
import Foundation
import Testing

/// The client-side check: `dehub install-hook --pre-push` in the working repository refuses before anything is
/// sent. The server's hook here is a script that leaves a marker file and then runs dehub, so that the tests can
/// tell whether the push reached it.
@Suite("pre-push hook")
struct PrePushTests {
    private func world() throws -> (Scenario, ScenarioTeam, marker: String) {
        let s = try Scenario()
        let team = try s.guardedRepository()
        let marker = s.directory.appending("server-hook-ran")
        try s.write(
            "hooks/pre-receive",
            """
            #!/bin/sh
            echo ran >> '\(marker)'
            exec '\(s.dehubPath)' hook pre-receive

            """, in: s.server)
        chmod(s.server + "/hooks/pre-receive", 0o755)
        try s.dehubOK("install-hook", "--pre-push")
        return (s, team, marker)
    }

    @Test func refusesBeforeAnythingIsSent() throws {
        let (s, team, marker) = try world()
        let root = try s.head("main")
        let change = try s.change("Alice alone", by: team.a, files: ["a.txt": "a\n"])
        let result = try s.push("origin", "main")
        expectRefused(result, "needs credentials from 2 of [alice, bob, carol]; verified: alice", by: "client")
        #expect(!result.stderrText.contains("remote:"), "\(result.transcript)")
        #expect(!s.exists(marker), "the server's hook never ran")
        #expect(try s.serverRef("refs/heads/main") == root)
        #expect(try !s.serverHasObject(change), "nothing was sent")
    }

    @Test func letsAGoodPushThrough() throws {
        let (s, team, marker) = try world()
        let tip = try s.landOnMain("Accredited", files: ["a.txt": "a\n"], author: team.a, reviewers: [team.b])
        let result = try s.push("origin", "main")
        expectAccepted(result)
        #expect(s.exists(marker))
        #expect(try s.serverRef("refs/heads/main") == tip)
    }

    @Test func refusesLaunderingAndDeletingMainOnTheClient() throws {
        let (s, team, marker) = try world()
        let root = try s.head("main")
        try s.git("switch", "-q", "-c", "feature")
        try s.change("Thread work", by: team.a, files: ["t.txt": "t\n"])
        expectAccepted(try s.push("origin", "feature"))
        try FileManager.default.removeItem(atPath: marker)
        expectRefused(try s.push("origin", "feature:main"), "on branch 'main'", by: "client")
        expectRefused(try s.push("origin", ":main"), "deleting main is never allowed", by: "client")
        expectRefused(try s.push("origin", "--force", "\(root):refs/tags/v1"), "lightweight tags are refused", by: "client")
        #expect(!s.exists(marker))
        #expect(try s.serverRef("refs/heads/main") == root)
    }

    @Test func worksAsTheBinaryCopiedUnderTheNamePrePush() throws {
        let (s, team, marker) = try world()
        let hook = s.work + "/.git/hooks/pre-push"
        try FileManager.default.removeItem(atPath: hook)
        try FileManager.default.copyItem(atPath: s.dehubPath, toPath: hook)
        chmod(hook, 0o755)
        try s.change("Alice alone", by: team.a, files: ["a.txt": "a\n"])
        expectRefused(try s.push("origin", "main"), "verified: alice", by: "client")
        #expect(!s.exists(marker))
    }

    /// `git push URL BRANCH` (no remote name): git passes the URL as the remote's name, and there are no
    /// remote-tracking refs for it. A good thread push must still go through.
    @Test func acceptsAGoodThreadPushToAURL() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        try s.change("Thread work", by: team.a, files: ["t.txt": "t\n"])
        let result = try s.push("file://" + s.server, "feature")
        #expect(result.exitCode == 0, "\(result.transcript)")
    }
}

/// The pre-push check shares the hook's view of main's root.
@Suite("pre-push hook: main's root")
struct PrePushRootTests {
    @Test func refusesReplacingMainWithAnotherRootOfTrust() throws {
        let s = try Scenario()
        _ = try s.guardedRepository()
        try s.dehubOK("install-hook", "--pre-push")
        let mallory = try s.sshKey("mallory")
        try s.git("switch", "-q", "--orphan", "evil")
        let evilConfig = ScenarioConfig(
            accounts: [.init("mallory", [.ssh(mallory.publicKeyLine)])], accessControls: "- action: allow\n")
        try s.change("Take over", by: ScenarioSigner("mallory", key: mallory), files: [".dehub/config.yml": evilConfig.render()])
        // The server's hook would let it in (see HookRefUpdateTests); this asks the client alone.
        try FileManager.default.removeItem(atPath: s.server + "/hooks/pre-receive")
        let result = try s.push("--force", "origin", "evil:main")
        #expect(result.exitCode != 0, "\(result.transcript)")
    }
}
