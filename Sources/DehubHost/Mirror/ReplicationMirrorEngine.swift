import DehubCore
import DehubReplication
import Foundation

/// The mirror engine: DehubReplication's fetch-verify-advance core (the same code `git-remote-dehub` and cluster
/// replicas run). The upstream is fetched into the side cache (`ReplicaCache`, fsck on), each branch is verified with
/// the hook's rules (`PushVerifier`) from the cache's last verified tip or the pinned root, and the verified state is
/// published into the served repository in one `git update-ref --stdin` transaction with old-value checks
/// (`VerifiedRefsPublisher`: only the objects verified tips reach are copied; main only forward, never deleted).
public struct ReplicationMirrorEngine: MirrorEngine {
    public init() {}

    public func sync(_ run: MirrorRun) async -> MirrorRunReport {
        var pinned: ObjectID?
        if let root = run.root {
            guard let id = ObjectID(hex: root) else {
                return MirrorRunReport(failure: "the mirror's root of trust '\(root.prefix(64))' is not a commit id")
            }
            pinned = id
        }
        do {
            try FileIO.makeDirectory((run.cachePath as NSString).deletingLastPathComponent)
            let cache = try await ReplicaCache.open(at: run.cachePath)
            let source = ReplicationSource(name: UpstreamURL.redacted(run.upstream), url: run.upstream)
            let report = try await Replicator(cache: cache, sources: [source], pinnedRoot: pinned).sync()
            if let status = report.sources.first, !status.isReachable {
                return MirrorRunReport(unreachable: status.failure ?? "the upstream cannot be fetched", root: report.root?.hex)
            }
            try await VerifiedRefsPublisher(cache: cache, target: run.servedPath).publish(report.state)
            var result = MirrorRunReport(root: report.root?.hex)
            for outcome in report.refs { result.refs[outcome.ref] = Self.outcome(outcome) }
            return result
        } catch {
            return MirrorRunReport(failure: "\(error)")
        }
    }

    static func outcome(_ outcome: RefOutcome) -> MirrorRunReport.Outcome {
        switch outcome.result {
        case .verified(let tip, let commits, _):
            return .verified(tip: tip.hex, commits: commits)
        case .unchanged(let tip):
            return .verified(tip: tip.hex, commits: 0)
        case .behind(let verified, let served, _):
            return .refused(
                upstreamTip: served.hex,
                message:
                    "the upstream serves \(outcome.ref) at \(served.short), behind the verified \(verified.short) (a stale or rewound upstream); the mirror keeps \(verified.short)"
            )
        case .refused(let message, let served, _):
            return .refused(upstreamTip: served.hex, message: message)
        case .removed:
            return .deleted
        case .unreachable:
            return .refused(
                upstreamTip: nil, message: "the upstream no longer serves \(outcome.ref); the mirror keeps what it verified")
        }
    }
}
