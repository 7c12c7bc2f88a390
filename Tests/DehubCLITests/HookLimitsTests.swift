import DehubTestSupport
import Foundation
import Testing

/// The limits a server operator sets in the bare repository's git config (`dehub.maxMessageBytes`,
/// `dehub.maxCommits`, `dehub.maxRefUpdates`): exceeded, they refuse the push with a message; a value that is not
/// a sane number refuses every push, with a message, never a crash.
@Suite("pre-receive hook: operator limits")
struct HookLimitsTests {
    private func world() throws -> (Scenario, ScenarioTeam) {
        let s = try Scenario()
        let team = try s.guardedRepository()
        try s.git("switch", "-q", "-c", "feature")
        return (s, team)
    }

    @Test func refusesAMessageOverDehubMaxMessageBytes() throws {
        let (s, team) = try world()
        try s.git("config", "dehub.maxMessageBytes", "600", in: s.server)
        let long = "A long description\n\n" + String(repeating: "words ", count: 100)
        let change = try s.change(long, by: team.a, files: ["l.txt": "l\n"])
        let result = try s.push("origin", "feature")
        expectRefused(result, "check:  payload", "more than the limit of 600")
        #expect(try !s.serverHasObject(change))
        // Raised by the operator, the same push goes through.
        try s.git("config", "dehub.maxMessageBytes", "4k", in: s.server)
        expectAccepted(try s.push("origin", "feature"))
    }

    @Test func refusesMoreCommitsThanDehubMaxCommits() throws {
        let (s, team) = try world()
        try s.git("config", "dehub.maxCommits", "2", in: s.server)
        for i in 1...3 { try s.change("Step \(i)", by: team.a, files: ["s.txt": "\(i)\n"]) }
        expectRefused(try s.push("origin", "feature"), "more than 2 commits", "dehub.maxCommits")
        #expect(try s.serverRef("refs/heads/feature") == nil)
    }

    @Test func refusesMoreRefUpdatesThanDehubMaxRefUpdates() throws {
        let (s, team) = try world()
        try s.git("config", "dehub.maxRefUpdates", "1", in: s.server)
        try s.change("Thread", by: team.a, files: ["t.txt": "t\n"])
        try s.git("branch", "other")
        expectRefused(try s.push("origin", "feature", "other"), "dehub.maxRefUpdates")
    }

    /// `dehub.timeoutSeconds`: the hook gives up, refusing, when its input does not end in time (here its stdin is
    /// a FIFO that the hook itself holds open for writing, so it never ends).
    @Test func refusesWhenTheTimeLimitIsReached() throws {
        let (s, _) = try world()
        try s.git("config", "dehub.timeoutSeconds", "1", in: s.server)
        let script = "mkfifo in && exec 3<>in && exec '\(s.dehubPath)' hook pre-receive <in"
        let result = try s.run("/bin/sh", ["-c", script], in: s.directory.path, environment: ["GIT_DIR": s.server])
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(
            result.stderrText.contains("dehub: push refused: the hook ran out of time (git config dehub.timeoutSeconds)"),
            "\(result.transcript)")
    }

    static let badValues: [(String, String)] = [
        ("dehub.maxMessageBytes", "lots"),
        ("dehub.maxMessageBytes", "0"),
        ("dehub.maxMessageBytes", "-5"),
        ("dehub.maxCommits", "99999999999999999999999"),
        ("dehub.timeoutSeconds", "1.5"),
    ]

    @Test(arguments: badValues)
    func refusesEveryPushWhenALimitIsNotANumber(_ key: String, _ value: String) throws {
        let (s, team) = try world()
        try s.git("config", key, value, in: s.server)
        try s.change("Fine otherwise", by: team.a, files: ["f.txt": "f\n"])
        expectRefused(try s.push("origin", "feature"), "git config \(key) is '\(value)', expected a positive number")
    }

    /// A value with a k/m/g suffix whose product overflows Int: the hook must refuse with a message, not trap.
    @Test(arguments: [("dehub.maxMessageBytes", "9223372036854775807k"), ("dehub.maxRefUpdates", "9000000000000000")])
    func refusesAnOverflowingLimitWithAMessage(_ key: String, _ value: String) throws {
        let (s, team) = try world()
        try s.git("config", key, value, in: s.server)
        try s.change("Fine otherwise", by: team.a, files: ["f.txt": "f\n"])
        let result = try s.push("origin", "feature")
        #expect(result.exitCode != 0, "fails closed either way\n\(result.transcript)")
        #expect(try s.serverRef("refs/heads/feature") == nil)
        #expect(result.stderrText.contains("remote: dehub: push refused"), "\(result.transcript)")
        #expect(result.stderrText.contains(key), "\(result.transcript)")
    }
}
