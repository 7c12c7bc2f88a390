import DehubCore
import DehubGit
import DehubSignatures
import DehubTestSupport
import Foundation
import Testing

@testable import DehubVerification

/// The verdict cache asked on several handles at once (`ParallelVerification`, format §9.3): each handle takes a
/// contiguous run of the history, the first commit of a run reads its parent's tree itself, and the answers are the
/// ones a single handle gives, in the same order; a commit whose tree is gone is checked again, whichever run has it.
@Suite("the verdict cache asked on several handles")
struct ParallelCacheAnsweringTests {
    private func answer(
        _ s: Scenario, _ commits: [String], workers: Int, answeringRun: Int
    ) throws -> [CommitVerdict] {
        let path = s.work
        let repo = try GitRepository.open(path: path)
        let ids = commits.compactMap { ObjectID(hex: $0) }
        let links = repo.linearHistory(from: ids[ids.count - 1])
        #expect(links?.map(\.id) == ids)
        let items = ids.map { ParallelVerification.Item(commit: $0, branch: "main", nonFastForward: false) }
        return try ParallelVerification.verify(
            items, open: { try GitRepository.open(path: path) }, signatures: SignatureVerifier.shared, workers: workers,
            cache: VerdictCache(store: VerdictCacheFileStore(repository: repo)), primary: repo, links: links,
            answeringRun: answeringRun)
    }

    @Test func runsOnTwoHandlesAnswerAsOneDoes() throws {
        let (s, _, commits) = try Scenario.strictHistory()
        #expect(try s.dehub("verify", "--all", "--branch", "main", "-q").exitCode == 0)
        let one = try answer(s, commits, workers: 1, answeringRun: 1)
        // Three commits in runs of at least one on two handles: [root, first] and [second].
        let two = try answer(s, commits, workers: 2, answeringRun: 1)
        #expect(one.map(\.commit.hex) == commits)
        #expect(one.allSatisfy { $0.isVerified && $0.cached })
        #expect(two == one)
    }

    @Test func aMissingTreeIsCheckedAgainInAnyRun() throws {
        let (s, _, commits) = try Scenario.strictHistory()
        #expect(try s.dehub("verify", "--all", "--branch", "main", "-q").exitCode == 0)
        // The last commit's tree, alone in the second run, is gone (the scenario's objects are loose).
        let tree = try s.git("rev-parse", commits[2] + "^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)
        let object = s.work + "/.git/objects/" + tree.prefix(2) + "/" + tree.dropFirst(2)
        try FileManager.default.removeItem(atPath: object)
        let verdicts = try answer(s, commits, workers: 2, answeringRun: 1)
        #expect(verdicts.map(\.cached) == [true, true, false])
        #expect(verdicts[2].isVerified == false)
    }
}
