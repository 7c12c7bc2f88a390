import DehubTestSupport
import Foundation
import Testing

/// Behind a host that names the pusher's role (`DEHUB_PUSHER_ROLE`: dehub-host sets admin, member or other), the
/// hook itself holds the rules that do not depend on signatures (format §10): a stranger may not wipe a thread by
/// rewinding it, and only an admin creates main. A plain git server (no variable) keeps the format's rules alone.
@Suite("pre-receive hook: what the pusher's role allows")
struct HookPusherRoleTests {
    static let roles: [(String, Bool)] = [("other", false), ("", false), ("nonsense", false), ("member", true), ("admin", true)]

    /// Scenario.push drops a variable whose value is empty; an empty role is sent as a lone space.
    private func role(_ role: String) -> [String: String] { ["DEHUB_PUSHER_ROLE": role.isEmpty ? " " : role] }

    /// A guarded repository with the thread `hello` (alice's signed change) on the server.
    private func world() throws -> (Scenario, root: String, hello: String) {
        let s = try Scenario()
        let team = try s.guardedRepository()
        let root = try s.head("main")
        try s.git("switch", "-q", "-c", "hello")
        try s.change("Hello", by: team.a, files: ["hello.txt": "hello\n"])
        let hello = try s.change("Hello again", by: team.b, files: ["hello.txt": "hello, world\n"])
        expectAccepted(try s.push("origin", "hello"))
        return (s, root, hello)
    }

    /// The attack: `git push -f URL MAIN_TIP:refs/heads/hello`. Main's tip is a properly signed commit, so the
    /// config's rules (default #2: a thread takes any signed commit) allow it; only the role stops a stranger.
    @Test("replacing a thread by main's tip", arguments: roles)
    func replacingAThreadByMainsTip(role: String, allowed: Bool) throws {
        let (s, root, hello) = try world()
        let result = try s.push("--force", "origin", "\(root):refs/heads/hello", environment: self.role(role))
        if allowed {
            expectAccepted(result)
            #expect(try s.serverRef("refs/heads/hello") == root)
        } else {
            expectRefused(
                result, "moving 'hello' other than forward is refused: on this host only admins and the repository's members")
            #expect(try s.serverRef("refs/heads/hello") == hello)
        }
    }

    /// The same, rewinding the thread to its first commit.
    @Test("rewinding a thread", arguments: roles)
    func rewindingAThread(role: String, allowed: Bool) throws {
        let (s, _, hello) = try world()
        let first = try s.head("hello~1")
        let result = try s.push("--force", "origin", "\(first):refs/heads/hello", environment: self.role(role))
        if allowed {
            expectAccepted(result)
            #expect(try s.serverRef("refs/heads/hello") == first)
        } else {
            expectRefused(result, "moving 'hello' other than forward is refused")
            #expect(try s.serverRef("refs/heads/hello") == hello)
        }
    }

    /// A plain git server knows nothing of the pusher: a signed rewind of a thread is the config's to judge, and
    /// the defaults allow it (documented in format §10 and the threat model).
    @Test func aPlainServerLeavesThreadRewindsToTheConfig() throws {
        let (s, root, _) = try world()
        expectAccepted(try s.push("--force", "origin", "\(root):refs/heads/hello"))
        #expect(try s.serverRef("refs/heads/hello") == root)
    }

    /// Anywhere, a rewind must also be allowed by the config like any other update: a project that forbids
    /// non-fast-forward updates everywhere refuses a member's rewind, behind the host or not.
    @Test(arguments: [nil, "member", "admin"] as [String?])
    func theConfigStillDecidesRewinds(role: String?) throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(
            team.config(
                accessControls: """
                    - action: deny
                      filters:
                      - {type: commit_attributes, non_fast_forward: true}

                    """ + ScenarioConfig.mainNeeds(2, of: ScenarioTeam.names)), signers: [team.a, team.b])
        try s.makeServer()
        expectAccepted(try s.push("-q", "origin", "main"))
        try s.git("switch", "-q", "-c", "hello")
        try s.change("Hello", by: team.a, files: ["hello.txt": "hello\n"])
        let hello = try s.change("Hello again", by: team.b, files: ["hello.txt": "hello, world\n"])
        expectAccepted(try s.push("origin", "hello"))
        let result = try s.push("--force", "origin", "hello~1:refs/heads/hello", environment: role.map(self.role) ?? [:])
        expectRefused(
            result, "moving 'hello' from", "is not a fast-forward, and the current config does not allow it",
            "access_controls[0] of .dehub/config.yml denies")
        #expect(try s.serverRef("refs/heads/hello") == hello)
    }

    /// A fast-forward of a thread is not a rewind: strangers may still push their work to threads.
    @Test func aStrangerStillMovesAThreadForward() throws {
        let s = try Scenario()
        let team = try s.guardedRepository()
        try s.git("switch", "-q", "-c", "hello")
        try s.change("Hello", by: team.a, files: ["hello.txt": "hello\n"])
        expectAccepted(try s.push("origin", "hello", environment: role("other")))
        let tip = try s.change("More", by: team.a, files: ["more.txt": "more\n"])
        expectAccepted(try s.push("origin", "hello", environment: role("other")))
        #expect(try s.serverRef("refs/heads/hello") == tip)
    }

    /// Issue 8: the root of trust is set by the push that creates main; behind the host only an admin makes it,
    /// whatever the host decided before the hook ran.
    @Test("creating main", arguments: [("other", false), ("", false), ("member", false), ("admin", true)])
    func creatingMain(role: String, allowed: Bool) throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let root = try s.bootstrap(team.strictConfig(), signers: [team.a, team.b])
        try s.makeServer()
        let result = try s.push("origin", "main", environment: self.role(role))
        if allowed {
            expectAccepted(result)
            #expect(try s.serverRef("refs/heads/main") == root)
        } else {
            expectRefused(result, "creating main is refused: on this host only an admin may create main")
            #expect(try s.serverRef("refs/heads/main") == nil)
        }
    }

    @Test func aPlainServerLetsAnyoneCreateMain() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let root = try s.bootstrap(team.strictConfig(), signers: [team.a, team.b])
        try s.makeServer()
        expectAccepted(try s.push("origin", "main"))
        #expect(try s.serverRef("refs/heads/main") == root)
    }

    /// Strangers get `dehub.strangerMaxCommits` (default 1,000) instead of `dehub.maxCommits`; admins and members
    /// do not.
    @Test func strangersHaveTheirOwnCommitLimit() throws {
        let s = try Scenario()
        let team = try s.guardedRepository()
        try s.git("config", "dehub.strangerMaxCommits", "2", in: s.server)
        try s.git("switch", "-q", "-c", "feature")
        for i in 1...3 { try s.change("Step \(i)", by: team.a, files: ["s.txt": "\(i)\n"]) }
        expectRefused(
            try s.push("origin", "feature", environment: role("other")), "more than 2 commits", "dehub.strangerMaxCommits")
        #expect(try s.serverRef("refs/heads/feature") == nil)
        expectAccepted(try s.push("origin", "feature", environment: role("member")))
    }

    /// `dehub.strangerTimeoutSeconds`: a stranger's hook run gives up sooner (the input never ends here).
    @Test func strangersHaveTheirOwnTimeLimit() throws {
        let s = try Scenario()
        _ = try s.guardedRepository()
        try s.git("config", "dehub.strangerTimeoutSeconds", "1", in: s.server)
        let script = "mkfifo in && exec 3<>in && exec '\(s.dehubPath)' hook pre-receive <in"
        let result = try s.run(
            "/bin/sh", ["-c", script], in: s.directory.path,
            environment: ["GIT_DIR": s.server, "DEHUB_PUSHER_ROLE": "other"])
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(
            result.stderrText.contains("dehub: push refused: the hook ran out of time (git config dehub.strangerTimeoutSeconds)"),
            "\(result.transcript)")
    }
}
