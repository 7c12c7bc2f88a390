import DehubTestSupport
import Foundation
import Testing

/// The top-level `hooks/` folder for server operators and developers: the scripts do what hooks/README.md says.
@Suite("hooks/ scripts")
struct HookScriptsTests {
    static let hooks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("hooks").path

    /// A bootstrapped work repo and a bare server without a hook; main not pushed yet.
    private func world() throws -> (Scenario, ScenarioTeam) {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(team.strictConfig(), signers: [team.a, team.b])
        try s.makeServer(installHook: false)
        return (s, team)
    }

    /// main is accepted, then a plain commit on main is refused by dehub.
    private func expectGuarded(_ s: Scenario, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let root = try s.head("main")
        expectAccepted(try s.push("origin", "main"), sourceLocation: sourceLocation)
        try s.write("sneaky.txt", "sneaky\n")
        try s.git("add", "sneaky.txt")
        try s.git("commit", "-q", "-m", "Unsigned")
        expectRefused(try s.push("origin", "main"), "check:  payload", sourceLocation: sourceLocation)
        #expect(try s.serverRef("refs/heads/main") == root, sourceLocation: sourceLocation)
    }

    @Test func installServerScriptInstallsAndTurnsOnFsck() throws {
        let (s, _) = try world()
        let result = try s.run("bash", [Self.hooks + "/install-server.sh", s.dehubPath, s.server])
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(try s.git("config", "receive.fsckObjects", in: s.server) == "true")
        try expectGuarded(s)
    }

    @Test func installServerScriptCopiesTheBinary() throws {
        let (s, _) = try world()
        let result = try s.run("bash", [Self.hooks + "/install-server.sh", "--copy", s.dehubPath, s.server])
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(FileManager.default.contentsEqual(atPath: s.server + "/hooks/pre-receive", andPath: s.dehubPath))
        try expectGuarded(s)
    }

    @Test func installServerScriptExplainsItsUsage() throws {
        let s = try Scenario()
        #expect(try s.run("bash", [Self.hooks + "/install-server.sh"]).exitCode == 64)
        #expect(try s.run("bash", [Self.hooks + "/install-server.sh", "/no/such/dehub", s.server]).exitCode == 66)
    }

    @Test func preReceiveScriptFindsDehubOnPath() throws {
        let (s, _) = try world()
        let bin = s.directory.appending("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/dehub", withDestinationPath: s.dehubPath)
        s.environment["PATH"] = bin + ":" + (s.environment["PATH"] ?? "")
        try FileManager.default.copyItem(atPath: Self.hooks + "/pre-receive", toPath: s.server + "/hooks/pre-receive")
        chmod(s.server + "/hooks/pre-receive", 0o755)
        try expectGuarded(s)
    }

    @Test func preReceiveScriptRefusesWhenDehubIsMissing() throws {
        let (s, _) = try world()
        try FileManager.default.copyItem(atPath: Self.hooks + "/pre-receive", toPath: s.server + "/hooks/pre-receive")
        chmod(s.server + "/hooks/pre-receive", 0o755)
        let result = try s.push("origin", "main", environment: ["DEHUB": "/no/such/dehub"])
        #expect(result.exitCode != 0, "\(result.transcript)")
        #expect(
            result.stderrText.contains("remote: dehub: push refused: the dehub binary (/no/such/dehub) is missing"),
            "\(result.transcript)")
        #expect(try s.serverRef("refs/heads/main") == nil)
    }

    @Test func installPrePushScriptInstallsTheClientCheck() throws {
        let (s, team) = try world()
        try s.dehubOK("install-hook", "--repo", s.server)
        expectAccepted(try s.push("origin", "main"))
        let result = try s.run("bash", [Self.hooks + "/install-pre-push.sh", s.dehubPath, s.work])
        #expect(result.exitCode == 0, "\(result.transcript)")
        try s.change("Alice alone", by: team.a, files: ["a.txt": "a\n"])
        expectRefused(try s.push("origin", "main"), "verified: alice", by: "client")
    }
}
