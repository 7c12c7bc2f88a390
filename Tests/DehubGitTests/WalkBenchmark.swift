import DehubCore
import DehubTestSupport
import Foundation
import Testing

@testable import DehubGit

/// Not a test of speed (no timing assertions): with DEHUB_GIT_BENCH=1 it builds a 10,000-commit history
/// with `git fast-import` and prints how long the hook's reads take next to `git log --raw`.
@Suite struct WalkBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DEHUB_GIT_BENCH"] == "1"))
    func walkTenThousandCommits() throws {
        let count = 10_000
        let fixture = try GitFixture.make(bare: true)
        var stream = ""
        stream.reserveCapacity(count * 200)
        for index in 1...count {
            let body = "content \(index)\n"
            stream += "commit refs/heads/main\nmark :\(index)\ncommitter T <t@example.com> \(1_700_000_000 + index) +0000\n"
            let message = "change \(index)\n\n---\ntype: change\n"
            stream += "data \(message.utf8.count)\n\(message)\n"
            if index > 1 { stream += "from :\(index - 1)\n" }
            if index == 1 { stream += "M 100644 inline .dehub/config.yml\ndata 11\nversion: 1\n\n" }
            stream += "M 100644 inline dir\(index % 20)/file\(index % 200).txt\ndata \(body.utf8.count)\n\(body)\n"
        }
        try fixture.git(["fast-import", "--quiet"], input: Array(stream.utf8))
        try fixture.git("gc", "--quiet")

        let clock = ContinuousClock()
        var total = 0
        let repo = try fixture.open()
        let tip = try fixture.id("main")
        var walked: [ObjectID] = []
        let walk = try clock.measure { walked = try repo.commits(from: tip, excluding: []) }
        let newOnes = try clock.measure { _ = try repo.commitsNotReachableFromAnyRef(tip) }
        var commits: [CommitInfo] = []
        let read = try clock.measure { commits = try walked.map { try repo.commit($0) } }
        let diff = try clock.measure { for commit in commits { total += try repo.changedFiles(of: commit).count } }
        let config = try clock.measure {
            for commit in commits {
                _ = try repo.entryID(at: ".dehub/config.yml", inTree: commit.tree)
                _ = try repo.blob(at: ".dehub/config.yml", inTree: commit.tree, limit: 1 << 20)
            }
        }
        #expect(walked.count == count)
        let elapsed = walk + newOnes + read + diff + config
        print("walk \(walk), not-reachable \(newOnes), commit() \(read), changedFiles \(diff), config reads \(config)")
        let gitClock = try clock.measure { _ = try fixture.git("log", "--raw", "--no-renames", "--format=%H %B", "main") }
        print("walk \(count) commits: dehub reads \(elapsed) (\(total) changes); git log --raw \(gitClock)")
    }
}
