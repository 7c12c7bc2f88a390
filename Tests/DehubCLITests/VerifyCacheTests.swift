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
}
