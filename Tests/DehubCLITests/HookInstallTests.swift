import DehubTestSupport
import Foundation
import Testing

/// Installing the hook: `dehub install-hook` (a script, or `--copy`), the binary copied or linked by hand under
/// the name `pre-receive`, foreign hooks, and `--pre-push`.
@Suite("hook installation")
struct HookInstallTests {
    /// A bootstrapped work repo (strict rules) and a bare server without a hook; main not pushed yet.
    private func world() throws -> (Scenario, ScenarioTeam) {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(team.strictConfig(), signers: [team.a, team.b])
        try s.makeServer(installHook: false)
        return (s, team)
    }

    /// Pushes main (accepted), then a plain commit on main (refused by the hook), and checks the server.
    private func expectGuarded(_ s: Scenario, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let root = try s.head("main")
        let first = try s.push("origin", "main")
        #expect(first.exitCode == 0, "\(first.transcript)", sourceLocation: sourceLocation)
        #expect(
            first.stderrText.contains("remote: dehub: 1 commit(s) verified"), "\(first.transcript)",
            sourceLocation: sourceLocation)
        try s.write("sneaky.txt", "sneaky\n")
        try s.git("add", "sneaky.txt")
        try s.git("commit", "-q", "-m", "Unsigned")
        let second = try s.push("origin", "main")
        #expect(second.exitCode != 0, "\(second.transcript)", sourceLocation: sourceLocation)
        #expect(second.stderrText.contains("remote: dehub: push refused"), "\(second.transcript)", sourceLocation: sourceLocation)
        #expect(try s.serverRef("refs/heads/main") == root, sourceLocation: sourceLocation)
    }

    @Test func installsAScriptThatRunsThisBinary() throws {
        let (s, _) = try world()
        let output = try s.dehubOK("install-hook", "--repo", s.server)
        let hook = s.server + "/hooks/pre-receive"
        #expect(output.contains("installed a hook running \(s.dehubPath) as \(hook)"), "\(output)")
        let script = try s.read(hook)
        #expect(script.contains("# installed by dehub install-hook"))
        #expect(script.contains("exec '\(s.dehubPath)' hook pre-receive"), "\(script)")
        #expect(FileManager.default.isExecutableFile(atPath: hook))
        // Installing again replaces our own hook without --force.
        try s.dehubOK("install-hook", "--repo", s.server)
        try expectGuarded(s)
    }

    @Test func guardsWhenTheBinaryIsCopiedAsHooksPreReceive() throws {
        let (s, _) = try world()
        // The copy is made by another process (install-hook --copy): a copy written from this multi-threaded test
        // process could be inherited open-for-writing by a concurrently spawned child, and exec would fail with ETXTBSY.
        let output = try s.dehubOK("install-hook", "--repo", s.server, "--copy")
        #expect(output.contains("installed a copy of"), "\(output)")
        try expectGuarded(s)
    }

    @Test func guardsWhenTheBinaryIsLinkedAsHooksPreReceive() throws {
        let (s, _) = try world()
        try FileManager.default.createSymbolicLink(atPath: s.server + "/hooks/pre-receive", withDestinationPath: s.dehubPath)
        try expectGuarded(s)
    }

    @Test func installsACopyWithDashDashCopy() throws {
        let (s, _) = try world()
        let output = try s.dehubOK("install-hook", "--repo", s.server, "--copy")
        #expect(output.contains("installed a copy of"), "\(output)")
        #expect(FileManager.default.contentsEqual(atPath: s.server + "/hooks/pre-receive", andPath: s.dehubPath))
        // A copy of dehub is recognised as ours: installing again needs no --force.
        try s.dehubOK("install-hook", "--repo", s.server, "--copy")
        try expectGuarded(s)
    }

    @Test func refusesToReplaceAForeignHookUnlessForced() throws {
        let (s, _) = try world()
        let hook = s.server + "/hooks/pre-receive"
        let foreign = "#!/bin/sh\necho someone else's hook\nexit 0\n"
        try s.write("hooks/pre-receive", foreign, in: s.server)
        chmod(hook, 0o755)
        let refused = try s.dehub("install-hook", "--repo", s.server)
        #expect(refused.exitCode == 65, "\(refused.transcript)")
        #expect(refused.stderrText.contains("exists and was not installed by dehub"), "\(refused.transcript)")
        #expect(refused.stderrText.contains("--force"), "\(refused.transcript)")
        #expect(try s.read(hook) == foreign)
        try s.dehubOK("install-hook", "--repo", s.server, "--force")
        try expectGuarded(s)
    }

    @Test func installsThePrePushHookInAWorkingRepository() throws {
        let (s, _) = try world()
        let output = try s.dehubOK("install-hook", "--pre-push")
        let hook = s.work + "/.git/hooks/pre-push"
        #expect(output.contains(hook), "\(output)")
        #expect(try s.read(hook).contains("hook pre-push \"$@\""))
    }

    @Test func warnsWhenCoreHooksPathIsSet() throws {
        let (s, _) = try world()
        try s.git("config", "core.hooksPath", "/elsewhere", in: s.server)
        let result = try s.dehub("install-hook", "--repo", s.server)
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(result.stderrText.contains("core.hooksPath is set to /elsewhere"), "\(result.transcript)")
    }
}
