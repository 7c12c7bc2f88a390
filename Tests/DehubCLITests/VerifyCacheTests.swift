import DehubTestSupport
import Foundation
import Testing

/// `dehub verify` and its verdict cache (format §9.3): a second run answers the passes of the first without checking
/// them again, a refusal is never remembered, `--no-cache` and `--json` check everything, and a broken cache file
/// only costs time.
@Suite("dehub verify with the verdict cache")
struct VerifyCacheTests {
    private func cacheFile(_ s: Scenario) -> String { s.work + "/.git/dehub/verdicts-v1" }

    @Test func aSecondRunAnswersFromTheCache() throws {
        let (s, _, commits) = try Scenario.strictHistory()
        let first = try s.dehub("verify", "--all", "--branch", "main")
        #expect(first.exitCode == 0, "\(first.transcript)")
        #expect(!first.stdoutText.contains("verdict cache"), "\(first.transcript)")
        #expect(FileManager.default.fileExists(atPath: cacheFile(s)))

        let second = try s.dehub("verify", "--all", "--branch", "main")
        #expect(second.exitCode == 0, "\(second.transcript)")
        let lines = second.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(second.transcript)")
        for (line, commit) in zip(lines, commits) {
            #expect(line.hasPrefix("ok \(short(commit)) \""), "\(line)")
            #expect(line.hasSuffix("(verified before: verdict cache)"), "\(line)")
        }
        #expect(second.stderrText.contains("3 of 3 commit(s) verified on branch 'main'"), "\(second.transcript)")

        // The same commits under another branch's rules are another question.
        let thread = try s.dehub("verify", "--rev", commits[2], "--branch", "threads/x")
        #expect(thread.exitCode == 0, "\(thread.transcript)")
        #expect(!thread.stdoutText.contains("verdict cache"), "\(thread.transcript)")

        let blind = try s.dehub("verify", "--all", "--branch", "main", "--no-cache")
        #expect(blind.exitCode == 0, "\(blind.transcript)")
        #expect(!blind.stdoutText.contains("verdict cache"), "\(blind.transcript)")

        let json = try s.dehub("verify", "--all", "--branch", "main", "--json")
        let items = try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [[String: Any]] ?? []
        #expect(items.map { $0["payload_type"] as? String } == ["change", "change", "change"], "\(json.transcript)")
    }

    /// A refused commit is checked and explained on every run, however many times its neighbours were cached.
    @Test func aRefusalIsNeverRemembered() throws {
        let (s, _, commits) = try Scenario.strictHistory()
        try s.git("switch", "-q", "-c", "tampered", commits[0])
        try s.write("one.txt", "1, altered\n")
        let altered = try s.craft(message: try s.message(of: commits[1]))
        for run in 0..<2 {
            let result = try s.dehub("verify", "--all", "--branch", "tampered")
            #expect(result.exitCode == 1, "run \(run): \(result.transcript)")
            #expect(result.stderrText.contains("commit \(short(altered)) \"First\" is not verifiable"), "\(result.transcript)")
            #expect(result.stderrText.contains("check:  fingerprint"), "\(result.transcript)")
        }
    }

    /// A cache file that is truncated, overwritten with garbage, or unwritable never changes a verdict.
    @Test func aBrokenCacheOnlyCostsTime() throws {
        let (s, _, _) = try Scenario.strictHistory()
        #expect(try s.dehub("verify", "--all", "--branch", "main", "-q").exitCode == 0)
        let good = try Data(contentsOf: URL(fileURLWithPath: cacheFile(s)))
        for broken in [good.dropLast(1), Data("garbage".utf8), Data()] {
            try broken.write(to: URL(fileURLWithPath: cacheFile(s)))
            let result = try s.dehub("verify", "--all", "--branch", "main")
            #expect(result.exitCode == 0, "\(result.transcript)")
            #expect(!result.stdoutText.contains("verdict cache"), "\(result.transcript)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: cacheFile(s))) == good, "rewritten whole")
        }
        // A cache that cannot be written: a warning, the same verdicts.
        try FileManager.default.removeItem(atPath: cacheFile(s))
        try FileManager.default.createDirectory(atPath: cacheFile(s), withIntermediateDirectories: false)
        let result = try s.dehub("verify", "--all", "--branch", "main")
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(result.stderrText.contains("warning: the verdict cache was not updated"), "\(result.transcript)")
    }

    /// `verify` lists a history in one first-parent pass; a merge on the way hands the listing to the full walk, and
    /// the merge is refused on every run, however many of its neighbours the cache holds.
    @Test func aMergeIsRefusedOnEveryRun() throws {
        let (s, _, commits) = try Scenario.strictHistory()
        #expect(try s.dehub("verify", "--all", "--branch", "main", "-q").exitCode == 0)
        try s.git("switch", "-q", "-c", "merged", commits[2])
        let merge = try s.craft(message: try s.message(of: commits[2]), parents: [commits[2], commits[1]])
        try s.write("three.txt", "3\n")
        try s.craft(message: try s.message(of: commits[2]))
        for run in 0..<2 {
            let result = try s.dehub("verify", "--all", "--branch", "merged")
            #expect(result.exitCode == 1, "run \(run): \(result.transcript)")
            #expect(result.stderrText.contains("commit \(short(merge))"), "\(result.transcript)")
            #expect(result.stderrText.contains("merge commit"), "\(result.transcript)")
            #expect(result.stderrText.contains(" of 5 commit(s) verified"), "every commit listed: \(result.transcript)")
        }
        let range = try s.dehub("verify", "--range", "\(commits[0])..merged", "--branch", "merged")
        #expect(range.exitCode == 1, "\(range.transcript)")
        #expect(range.stderrText.contains("merge commit"), "\(range.transcript)")
    }

    /// A verified history whose tree object is then lost: the commit that owns the tree, and its child (whose
    /// governing config was in it), are never answered from the cache; the run fails.
    @Test func aLostTreeIsNeverAnsweredFromTheCache() throws {
        let (s, _, commits) = try Scenario.strictHistory()
        #expect(try s.dehub("verify", "--all", "--branch", "main", "-q").exitCode == 0)
        let tree = try s.git("rev-parse", "\(commits[1])^{tree}")
        let object = s.work + "/.git/objects/" + tree.prefix(2) + "/" + tree.dropFirst(2)
        try #require(FileManager.default.fileExists(atPath: object), "the test expects loose objects")
        try FileManager.default.removeItem(atPath: object)
        let result = try s.dehub("verify", "--all", "--branch", "main")
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(result.stdoutText.contains("ok \(short(commits[0]))"), "\(result.transcript)")
        #expect(!result.stdoutText.contains("ok \(short(commits[1]))"), "\(result.transcript)")
        #expect(!result.stdoutText.contains("ok \(short(commits[2]))"), "\(result.transcript)")
    }
}
