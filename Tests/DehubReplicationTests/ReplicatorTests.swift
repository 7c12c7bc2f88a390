import DehubCore
import DehubReplication
import DehubTestSupport
import Foundation
import Testing

/// `Replicator.sync` against a real guarded repository served through file://: what verifies advances the cache's
/// verified refs, what does not stays out, and every outcome says why.
@Suite("replication: fetch, verify, advance")
struct ReplicatorTests {
    @Test func firstSyncVerifiesMainFromItsRootAndPinsIt() async throws {
        let w = try ReplicationWorld()
        let report = try await w.replicator().sync()
        let main = try w.s.serverRef("refs/heads/main")!
        let root = try w.s.git("rev-list", "--max-parents=0", "main")
        #expect(report.pinnedNow)
        #expect(report.root == w.id(root))
        guard case .verified(let tip, let commits, _) = report.main?.result else {
            Issue.record("main not verified: \(String(describing: report.main))")
            return
        }
        #expect(tip == w.id(main))
        #expect(commits == Int(try w.s.git("rev-list", "--count", "main")))
        #expect(try await w.cache().state() == VerifiedState(root: w.id(root), tips: ["refs/heads/main": w.id(main)]))
    }

    @Test func aLaterSyncVerifiesOnlyTheNewCommits() async throws {
        let w = try ReplicationWorld()
        let first = try await w.replicator().sync()
        let tip = try w.landAndPush("Second step")
        let report = try await w.replicator().sync()
        let count = Int(try w.s.git("rev-list", "--count", "\(first.main!.tip!.hex)..\(tip)"))!
        #expect(report.main?.result == .verified(tip: w.id(tip), commits: count, source: w.serverURL))
        #expect(!report.pinnedNow && report.warnings.isEmpty)
        let again = try await w.replicator().sync()
        #expect(again.main?.result == .unchanged(tip: w.id(tip)))
    }

    @Test func anUnsignedCommitWrittenBehindTheHooksBackIsRefused() async throws {
        let w = try ReplicationWorld()
        let good = try w.s.serverRef("refs/heads/main")!
        _ = try await w.replicator().sync()
        let bad = try w.unsignedCommit()
        try w.force("refs/heads/main", of: w.s.server, to: bad)
        let report = try await w.replicator().sync()
        guard case .refused(let message, let served, _) = report.main?.result else {
            Issue.record("main not refused: \(String(describing: report.main))")
            return
        }
        #expect(served == w.id(bad))
        #expect(message.contains("commit \(w.id(bad).short)") && message.contains("check:"), "\(message)")
        #expect(report.main?.tip == w.id(good))
        #expect(try await w.cache().state().main == w.id(good))
    }

    @Test func aRewoundMirrorIsBehindAndNeverRewindsMain() async throws {
        let w = try ReplicationWorld()
        let old = try w.s.serverRef("refs/heads/main")!
        let new = try w.landAndPush("Second step")
        _ = try await w.replicator().sync()
        try w.s.git("update-ref", "refs/heads/main", old, in: w.s.server)
        let report = try await w.replicator().sync()
        #expect(report.main?.result == .behind(verified: w.id(new), served: w.id(old), source: w.serverURL))
        #expect(report.warnings.contains { $0.contains("behind the verified") }, "\(report.warnings)")
        #expect(try await w.cache().state().main == w.id(new))
    }

    @Test func aMirrorWithAnotherRootIsRefusedUnderThePinnedRoot() async throws {
        let w = try ReplicationWorld()
        // Another project, validly signed by the same team: only the pinned root tells them apart.
        let other = try ReplicationWorld()
        let root = try w.s.git("rev-list", "--max-parents=0", "main")
        let report = try await w.replicator(["file://" + other.s.server], root: w.id(root)).sync()
        guard case .refused(let message, _, _) = report.main?.result else {
            Issue.record("main not refused: \(String(describing: report.main))")
            return
        }
        #expect(message.contains("not the pinned root of trust \(w.id(root).short)"), "\(message)")
        #expect(try await w.cache().state().main == nil)
        // A cache pinned to one root refuses to serve another pin.
        _ = try await w.replicator().sync()
        await #expect(throws: ReplicationError.self) {
            try await w.replicator(root: w.id(try other.s.git("rev-list", "--max-parents=0", "main"))).sync()
        }
    }

    @Test func twoMirrorsOneStaleTheFreshOneWinsWithAWarning() async throws {
        let w = try ReplicationWorld()
        let stale = try w.mirror("stale.git")
        let tip = try w.landAndPush("Second step")
        let report = try await w.replicator(["file://" + stale, w.serverURL]).sync()
        let count = Int(try w.s.git("rev-list", "--count", tip))!
        #expect(report.main?.result == .verified(tip: w.id(tip), commits: count, source: w.serverURL))
        #expect(
            report.warnings.contains { $0.contains("file://\(stale) is behind on refs/heads/main") }, "\(report.warnings)")
    }

    @Test func aThreadThatFailsIsLeftOutAndMainStillAdvances() async throws {
        let w = try ReplicationWorld()
        let bad = try w.unsignedCommit()
        try w.force("refs/heads/idea", of: w.s.server, to: bad)
        let report = try await w.replicator().sync()
        #expect(report.main?.tip != nil)
        let idea = report.refs.first { $0.ref == "refs/heads/idea" }
        #expect(idea?.isRefused == true && idea?.tip == nil, "\(String(describing: idea))")
        #expect(try await w.cache().state().tips["refs/heads/idea"] == nil)
    }

    @Test func aSignedThreadIsVerifiedFromMainAndItsDeletionFollowed() async throws {
        let w = try ReplicationWorld()
        try w.s.git("switch", "-q", "-c", "idea", "main")
        let tip = try w.s.change("An idea", by: w.team.a, files: ["idea.txt": "idea\n"])
        try w.s.git("push", "-q", "origin", "idea")
        let report = try await w.replicator().sync()
        let idea = report.refs.first { $0.ref == "refs/heads/idea" }
        #expect(idea?.result == .verified(tip: w.id(tip), commits: 1, source: w.serverURL), "\(String(describing: idea))")
        try w.s.git("push", "-q", "origin", ":idea")
        let after = try await w.replicator().sync()
        #expect(after.refs.first { $0.ref == "refs/heads/idea" }?.result == .removed(was: w.id(tip)))
        #expect(try await w.cache().state().tips["refs/heads/idea"] == nil)
    }

    @Test func anUnreachableSourceIsReportedAndTheStateStays() async throws {
        let w = try ReplicationWorld()
        let first = try await w.replicator().sync()
        let report = try await w.replicator([w.serverURL + "-gone"]).sync()
        #expect(report.sources.first?.isReachable == false)
        #expect(report.main == RefOutcome(ref: "refs/heads/main", result: .unreachable, tip: first.main?.tip))
    }

    @Test func thePublisherMovesTheServedRefsInOneTransaction() async throws {
        let w = try ReplicationWorld()
        let served = w.s.directory.appending("served.git")
        try w.s.git("init", "-q", "--bare", served, in: w.s.directory.path)
        try w.landAndPush("Second step")
        let report = try await w.replicator().sync()
        let publisher = VerifiedRefsPublisher(cache: try await w.cache(), target: served, git: w.git)
        let moves = try await publisher.publish(report.state)
        #expect(moves.map(\.ref) == ["refs/heads/main"])
        #expect(try w.s.git("rev-parse", "main", in: served) == report.main?.tip?.hex)
        #expect(try await publisher.publish(report.state).isEmpty)
        // The served main is never rewound.
        var older = report.state
        older.tips["refs/heads/main"] = w.id(try w.s.git("rev-parse", "main~1"))
        await #expect(throws: ReplicationError.self) { try await publisher.publish(older) }
    }
}
