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

/// The verdict cache asked during the walk (`CacheAnsweringPipeline`, format §9.3): fed the walk's links newest first
/// in runs of any length, it gives each commit the answer `CommitVerifier` gives it on its own, and a miss for a
/// commit whose tree is gone or for a link that does not follow its child.
@Suite("the verdict cache asked while the history is walked")
struct CacheAnsweringPipelineTests {
    private func pipeline(_ s: Scenario) throws -> CacheAnsweringPipeline {
        let path = s.work
        let repo = try GitRepository.open(path: path)
        return CacheAnsweringPipeline(
            loading: HistoryVerification.CacheLoading(repository: repo, use: .readWrite), branch: "main"
        ) { try GitRepository.open(path: path) }
    }

    /// The links of `tip` back to (not including) `excluding`, newest first, as the walk hands them over.
    private func newestFirst(_ s: Scenario, from tip: String, excluding: String? = nil) throws -> [HistoryLink] {
        let repo = try GitRepository.open(path: s.work)
        let links = repo.linearHistory(from: ObjectID(hex: tip)!, excluding: excluding.flatMap { ObjectID(hex: $0) })
        return Array(try #require(links).reversed())
    }

    @Test(arguments: [1, 2, 3])
    func runsOfAnyLengthGetEveryAnswer(run: Int) throws {
        let (s, _, commits) = try Scenario.strictHistory()
        #expect(try s.dehub("verify", "--all", "--branch", "main", "-q").exitCode == 0)
        let links = try newestFirst(s, from: commits[2])
        let answering = try pipeline(s)
        for start in stride(from: 0, to: links.count, by: run) {
            answering.feed(Array(links[start..<min(links.count, start + run)]))
        }
        let answers = answering.finish()
        #expect(answers.map { $0?.commit.hex } == commits.reversed())
        #expect(answers.allSatisfy { $0?.cached == true && $0?.isVerified == true })
        #expect(answers.map { $0?.head } == links.map(\.head))
    }

    /// A range: the oldest link's parent was not fed, and its tree is read at the end.
    @Test func aRangeAnswersItsOldestCommitToo() throws {
        let (s, _, commits) = try Scenario.strictHistory()
        #expect(try s.dehub("verify", "--all", "--branch", "main", "-q").exitCode == 0)
        let answering = try pipeline(s)
        answering.feed(try newestFirst(s, from: commits[2], excluding: commits[0]))
        #expect(answering.finish().map { $0?.cached } == [true, true])
    }

    @Test func aMissingTreeOrABrokenChainIsAMiss() throws {
        let (s, _, commits) = try Scenario.strictHistory()
        #expect(try s.dehub("verify", "--all", "--branch", "main", "-q").exitCode == 0)
        let links = try newestFirst(s, from: commits[2])
        // A link that is not the parent of the one before it: the child is a miss, the rest still answered.
        let broken = try pipeline(s)
        broken.feed([links[0], links[2]])
        #expect(broken.finish().map { $0?.cached } == [nil, true])
        // The middle commit's tree is gone (the scenario's objects are loose).
        let tree = try s.git("rev-parse", commits[1] + "^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.removeItem(atPath: s.work + "/.git/objects/" + tree.prefix(2) + "/" + tree.dropFirst(2))
        let answering = try pipeline(s)
        answering.feed(links)
        // Commit 2 is governed by that tree and commit 1 has it: both are misses.
        #expect(answering.finish().map { $0?.cached } == [nil, nil, true])
    }

    /// `dehub verify` answers the same whether the cache is asked during the walk or after it.
    @Test func aRunAfterTheWalkAgrees() throws {
        let (s, _, commits) = try Scenario.strictHistory()
        #expect(try s.dehub("verify", "--all", "--branch", "main", "-q").exitCode == 0)
        let repo = try GitRepository.open(path: s.work)
        let loading = HistoryVerification.CacheLoading(repository: repo, use: .readWrite)
        let walk = try HistoryVerification.walk(
            from: ObjectID(hex: commits[2])!, excluding: nil, branch: "main", in: repo, loading: loading)
        #expect(walk.commits.map(\.hex) == commits)
        #expect(walk.answers?.map { $0?.cached } == [true, true, true])
        let result = try HistoryVerification.verify(
            walk.commits, branch: "main", in: repo, links: walk.links, loading: loading, answers: walk.answers)
        let after = try HistoryVerification.verify(walk.commits, branch: "main", in: repo, links: walk.links)
        #expect(result.verdicts == after.verdicts)
        #expect(result.isVerified)
    }
}
