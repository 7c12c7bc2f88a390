import DehubTestSupport
import Foundation
import Testing

/// `dehub verify --all`: a whole branch from its root commit, root included; and ranges that hold no commit.
@Suite("dehub verify --all and empty ranges")
struct VerifyAllTests {
    @Test func verifiesAGoodHistoryFromItsRoot() throws {
        let (s, _, commits) = try Scenario.strictHistory()
        let result = try s.dehub("verify", "--all", "--branch", "main")
        #expect(result.exitCode == 0, "\(result.transcript)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.transcript)")
        for (line, commit) in zip(lines, commits) { #expect(line.hasPrefix("ok \(short(commit))"), "oldest first: \(line)") }
        #expect(result.stderrText.contains("3 of 3 commit(s) verified on branch 'main'"), "\(result.transcript)")

        let json = try s.dehub("verify", "--all", "--branch", "main", "--json")
        #expect(json.exitCode == 0, "\(json.transcript)")
        let items = try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [[String: Any]]
        #expect(items?.compactMap { $0["commit"] as? String } == commits, "\(json.transcript)")
        #expect(json.stderrText.isEmpty, "no progress or summary around JSON: \(json.transcript)")
    }

    @Test func refusesAnUnsignedRoot() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.dehubOK("init", s.work, in: s.directory.path)
        try s.write(".dehub/config.yml", team.config().bound.render())
        try s.git("add", "-A")
        try s.git("commit", "-q", "-m", "Plain root, no payload")
        let root = try s.head()
        let signed = try s.change("Signed on top", by: team.a, files: ["a.txt": "a\n"])

        let result = try s.dehub("verify", "--all", "--branch", "main")
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(
            result.stderrText.contains("commit \(short(root)) \"Plain root, no payload\" is not verifiable"),
            "\(result.transcript)")
        #expect(result.stderrText.contains("1 of 2 commit(s) verified on branch 'main'"), "\(result.transcript)")
        #expect(result.stdoutText.contains("ok \(short(signed))"), "\(result.transcript)")
    }

    @Test func findsTheTamperedCommitOfAHistory() throws {
        let (s, _, commits) = try Scenario.strictHistory()
        // A history that shares main's root but whose first change had its file altered after it was signed; the
        // second change is rebuilt on top with its own (unchanged) diff and message.
        try s.git("switch", "-q", "-c", "tampered", commits[0])
        try s.write("one.txt", "1, altered\n")
        let altered = try s.craft(message: try s.message(of: commits[1]))
        try s.write("two.txt", "2\n")
        let rebuilt = try s.craft(message: try s.message(of: commits[2]))

        let result = try s.dehub("verify", "--all", "--branch", "tampered")
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(result.stderrText.contains("commit \(short(altered)) \"First\" is not verifiable"), "\(result.transcript)")
        #expect(result.stderrText.contains("check:  fingerprint"), "\(result.transcript)")
        #expect(result.stderrText.contains("2 of 3 commit(s) verified on branch 'tampered'"), "\(result.transcript)")
        #expect(result.stdoutText.contains("ok \(short(rebuilt))"), "\(result.transcript)")

        let json = try s.dehub("verify", "--all", "--branch", "tampered", "--json")
        let items = try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [[String: Any]] ?? []
        #expect(items.map { $0["verified"] as? Bool } == [true, false, true], "\(json.transcript)")
        #expect(items.count == 3 && items[1]["check"] as? String == "fingerprint", "\(json.transcript)")
    }

    @Test func refusesAnUnknownBranch() throws {
        let (s, _, _) = try Scenario.strictHistory()
        let result = try s.dehub("verify", "--all", "--branch", "nope")
        #expect(result.exitCode == 66, "\(result.transcript)")
        #expect(result.stderrText.contains("no branch 'nope' to verify"), "\(result.transcript)")
        let both = try s.dehub("verify", "--all", "--rev", "HEAD")
        #expect(both.exitCode == 64, "\(both.transcript)")
    }

    @Test("a range that holds no commit says so and exits 0", arguments: ["main..main", "..main"])
    func emptyRange(_ range: String) throws {
        let (s, _, _) = try Scenario.strictHistory()
        let result = try s.dehub("verify", "--range", range, "--branch", "main")
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(result.stdoutText.isEmpty, "\(result.transcript)")
        #expect(result.stderrText.contains("nothing to verify: the range \(range) holds no commit"), "\(result.transcript)")
        let json = try s.dehub("verify", "--range", range, "--branch", "main", "--json")
        #expect(json.exitCode == 0, "\(json.transcript)")
        #expect(json.stdoutText == "[]\n", "\(json.transcript)")
    }

    @Test func jsonDoesNotEscapeSlashes() throws {
        let (s, team, _) = try Scenario.strictHistory()
        try s.git("switch", "-q", "-c", "threads/json")
        try s.change("Touch docs/a/b.md", by: team.a, files: ["docs/a/b.md": "b\n"])
        let result = try s.dehub("verify", "--rev", "HEAD", "--branch", "threads/json", "--json")
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(result.stdoutText.contains("\"threads/json\""), "\(result.transcript)")
        #expect(result.stdoutText.contains("\"Touch docs/a/b.md\""), "\(result.transcript)")
        #expect(!result.stdoutText.contains("\\/"), "\(result.transcript)")
    }

    /// More than 64 commits are verified by several workers, which share one project id (`ProjectScope`).
    @Test func aLongBoundHistoryOnSeveralWorkers() throws {
        let (s, team, _) = try Scenario.strictHistory()
        try s.git("switch", "-q", "-c", "long")
        for i in 0..<140 { try s.comment("Comment \(i)", by: i % 2 == 0 ? team.b : team.c) }
        let result = try s.dehub("verify", "--all", "--branch", "long", "-q")
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(result.stderrText.contains("143 of 143 commit(s) verified on branch 'long'"), "\(result.transcript)")
    }

    /// Progress is drawn on stderr only when stderr is a terminal (`script` gives the command one).
    @Test func showsProgressOnATerminal() throws {
        let (s, _, _) = try Scenario.strictHistory()
        let command = "'\(s.dehubPath)' verify --all --branch main >/dev/null"
        let result = try s.run("script", ["-qec", command, "/dev/null"])
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(result.stdoutText.contains("verifying commits 3/3"), "\(result.transcript)")
    }
}
