import DehubTestSupport
import Foundation
import Testing

/// Exit codes: 64 for a bad command line, 66 for what does not exist.
@Suite("dehub usage errors and missing inputs")
struct UsageErrorTests {
    static let usageErrors: [[String]] = [
        ["frobnicate"],
        ["commit", "change", "--descr", "who signs?"],
        ["commit", "--as", "alice", "--anon-pgp-key", "ABCDEF0123456789", "comment", "--comment", "both"],
        ["commit", "--anon-pgp-key", "ABCDEF0123456789", "--sign-key", "/k", "comment", "--comment", "x"],
        ["commit", "--as", "alice", "change"],
        ["verify", "--rev", "HEAD", "--range", "a..b"],
        ["verify", "--range", "nodots"],
        ["verify", "--range", "a...b"],
        ["verify", "--no-such-flag"],
        ["combine", "--start", "HEAD"],
        ["hook", "pre-receive", "extra-argument"],
    ]

    @Test(arguments: usageErrors)
    func exits64(_ arguments: [String]) throws {
        let s = try Scenario()
        try s.dehubOK("init", s.work, in: s.directory.path)
        let result = try s.dehub(arguments)
        #expect(result.exitCode == 64, "dehub \(arguments.joined(separator: " "))\n\(result.transcript)")
        #expect(!result.stderrText.isEmpty)
    }

    @Test func unknownRevisionExits66() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(team.config(), signers: [team.a])
        for arguments in [
            ["verify", "--rev", "no-such-rev"], ["verify", "--range", "main..nope"],
            ["fingerprint", "--rev", "0123456789012345678901234567890123456789"],
            ["combine", "--start", "nope", "--end", "main", "--onto", "main"],
            ["commit"] + team.b.arguments + ["credential", "--start", "nope"],
        ] {
            let result = try s.dehub(arguments)
            #expect(result.exitCode == 66, "dehub \(arguments.joined(separator: " "))\n\(result.transcript)")
            #expect(result.stderrText.contains("unknown revision"), "\(result.transcript)")
        }
    }

    @Test func notARepositoryExits66() throws {
        let s = try Scenario()
        let empty = s.directory.appending("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        for arguments in [
            ["verify"], ["fingerprint"], ["-C", "/nonexistent/repo", "verify"], ["install-hook", "--repo", empty],
        ] {
            let result = try s.dehub(arguments, in: empty)
            #expect(result.exitCode == 66, "dehub \(arguments.joined(separator: " "))\n\(result.transcript)")
            #expect(result.stderrText.contains("not a git repository"), "\(result.transcript)")
        }
    }

    @Test func versionAndHelpExit0() throws {
        let s = try Scenario()
        let version = try s.dehub("--version")
        #expect(version.exitCode == 0)
        #expect(version.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let help = try s.dehub("--help")
        #expect(help.exitCode == 0)
        #expect(help.stdoutText.contains("Exit codes"))
    }
}
