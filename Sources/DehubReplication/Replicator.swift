import DehubCore
import DehubGit
import DehubVerification

/// Fetch, verify, advance: fetches every branch of every source into the cache repository, verifies each branch
/// from its last verified tip (or from the pinned root) to what the sources serve, with the hook's rules, and
/// advances only the verified refs. Several sources: the furthest verified descendant wins, and the report warns
/// about sources that are behind, disagree or serve history that does not verify (the only defence against a
/// mirror that withholds updates is asking another).
///
/// The caller owns where the verified refs go next: `git-remote-dehub` lists them to git, a host mirror publishes
/// them (`VerifiedRefsPublisher`).
public struct Replicator: Sendable {
    public let cache: ReplicaCache
    public let sources: [ReplicationSource]
    /// The root of trust the caller pins (nil: the one the cache keeps, or, on first use, main's root as served).
    public let pinnedRoot: ObjectID?
    public let limits: HookLimits

    /// The hook's limits, but with room for a whole history: a first sync verifies main from its root.
    public static let defaultLimits: HookLimits = {
        var limits = HookLimits()
        limits.maxCommits = 10_000_000
        limits.maxCommitsKey = "the replica's limit, Replicator.limits"
        return limits
    }()

    public init(
        cache: ReplicaCache, sources: [ReplicationSource], pinnedRoot: ObjectID? = nil,
        limits: HookLimits = Replicator.defaultLimits
    ) {
        self.cache = cache
        self.sources = sources
        self.pinnedRoot = pinnedRoot
        self.limits = limits
    }

    /// One round. Throws `ReplicationError` when it cannot run at all (the cache cannot be read, or it was pinned to
    /// another root than `pinnedRoot`); everything else is in the report.
    /// Verification runs on all cores and blocks the calling thread while it does (seconds for a first sync of a long
    /// history): a server calls it from a task of its own, never from an event loop. One sync at a time per cache:
    /// the verified refs move with old-value checks, so a concurrent one fails rather than corrupts.
    public func sync() async throws -> SyncReport {
        var state = try cache.state()
        if let pinnedRoot, let kept = state.root, kept != pinnedRoot {
            throw ReplicationError(
                "the pinned root of trust is \(pinnedRoot.short), but the replica cache \(cache.path) was pinned to \(kept.short)",
                hint: "if the new root is right, remove \(cache.path) and fetch again", status: .notVerifiable)
        }
        var report = SyncReport()
        report.sources = await fetchAll()
        let reachable = report.sources.indices.filter { report.sources[$0].isReachable }
        for status in report.sources where !status.isReachable {
            report.warnings.append("source \(TerminalText.safe(status.source.name)) is unreachable: \(status.failure ?? "")")
        }
        guard !reachable.isEmpty else {
            report.refs = state.tips.keys.sorted(by: Self.mainFirst).map {
                RefOutcome(ref: $0, result: .unreachable, tip: state.tips[$0])
            }
            report.root = state.root
            report.state = state
            return report
        }
        let served = try servedBranches(reachable)
        var root = pinnedRoot ?? state.root
        let refs = Set(served.keys).union(state.tips.keys).sorted(by: Self.mainFirst)
        for ref in refs {
            let candidates = served[ref] ?? []
            let judge = CandidateJudge(cachePath: cache.path, limits: limits, root: root)
            let outcome = try await decide(ref, candidates: candidates, state: state, judge: judge, warnings: &report.warnings)
            state.tips[ref] = outcome.tip
            if ref == RefUpdate.mainRef, root == nil, let tip = outcome.tip {
                let repo = try cache.repository()
                if let first = try repo.rootCommits(of: tip).first {
                    try await cache.pin(root: first)
                    root = first
                    report.pinnedNow = true
                }
            }
            report.refs.append(outcome)
        }
        if state.root == nil, let root, !report.pinnedNow, state.main != nil {
            // Pinned by the caller before the first sync: kept in the cache from now on.
            try await cache.pin(root: root)
        }
        state.root = root
        report.root = root
        report.state = state
        return report
    }

    /// main first, then the other refs by name.
    public static func mainFirst(_ a: String, _ b: String) -> Bool {
        if a == RefUpdate.mainRef || b == RefUpdate.mainRef { return a == RefUpdate.mainRef && b != a }
        return a < b
    }

    /// Fetches the sources one after the other (usually one to three; each is one git process).
    private func fetchAll() async -> [SourceStatus] {
        var statuses: [SourceStatus] = []
        for (index, source) in sources.enumerated() {
            let failure: String?
            do {
                failure = try await cache.fetch(source, index: index)
            } catch {
                failure = "\(error)"
            }
            statuses.append(SourceStatus(source: source, failure: failure))
        }
        return statuses
    }

    /// Full ref name to what each reachable source serves for it, in the sources' order.
    private func servedBranches(_ reachable: [Int]) throws -> [String: [(source: Int, tip: ObjectID)]] {
        let repo = try cache.repository()
        var served: [String: [(source: Int, tip: ObjectID)]] = [:]
        for index in reachable {
            for (branch, tip) in try cache.served(by: index, in: repo) {
                served["refs/heads/" + branch, default: []].append((index, tip))
            }
        }
        return served
    }

    /// Picks the furthest verified tip of `ref` among `candidates` and advances the cache's ref to it.
    private func decide(
        _ ref: String, candidates: [(source: Int, tip: ObjectID)], state: VerifiedState, judge: CandidateJudge,
        warnings: inout [String]
    ) async throws -> RefOutcome {
        let verified = state.tips[ref]
        let safeRef = TerminalText.safe(ref)
        guard !candidates.isEmpty else {
            guard let verified else { return RefOutcome(ref: ref, result: .unreachable, tip: nil) }
            if ref == RefUpdate.mainRef {
                warnings.append("no reachable source serves main; the verified main \(verified.short) stays")
                return RefOutcome(ref: ref, result: .unreachable, tip: verified)
            }
            try await cache.advance(ref, from: verified, to: nil)
            return RefOutcome(ref: ref, result: .removed(was: verified), tip: nil)
        }
        let repo = try cache.repository()
        var sourcesOf: [ObjectID: [Int]] = [:]
        var tips: [ObjectID] = []
        for candidate in candidates {
            if sourcesOf[candidate.tip] == nil { tips.append(candidate.tip) }
            sourcesOf[candidate.tip, default: []].append(candidate.source)
        }
        let name = { (tip: ObjectID) in
            (sourcesOf[tip] ?? []).map { TerminalText.safe(sources[$0].name) }.joined(separator: ", ")
        }
        var refused: [(tip: ObjectID, message: String)] = []
        var behind: [ObjectID] = []
        var winner: RefOutcome?
        for tip in try FurthestFirst.order(tips, isAncestor: repo.isAncestor) {
            if tip == verified {
                winner = RefOutcome(ref: ref, result: .unchanged(tip: tip), tip: tip)
                break
            }
            if let verified, try repo.isAncestor(tip, of: verified) {
                behind.append(tip)
                continue
            }
            switch try judge.judge(tip, ref: ref, verified: verified, in: repo) {
            case .refused(let message):
                refused.append((tip, message))
            case .verified(let commits):
                try await cache.advance(ref, from: verified, to: tip)
                winner = RefOutcome(
                    ref: ref, result: .verified(tip: tip, commits: commits, source: sources[sourcesOf[tip]![0]].name), tip: tip)
            }
            if winner != nil { break }
        }
        // Without a winner, the first refusal is the outcome itself; every other one is a warning.
        for (tip, message) in refused.dropFirst(winner == nil ? 1 : 0) {
            warnings.append("\(name(tip)) serves \(safeRef) at \(tip.short), which does not verify: \(message)")
        }
        guard let winner else {
            if let first = refused.first {
                return RefOutcome(
                    ref: ref, result: .refused(message: first.message, served: first.tip, source: name(first.tip)),
                    tip: verified)
            }
            // Every source serves the verified tip's ancestors.
            let served = behind[0]
            for tip in behind {
                warnings.append(
                    "\(name(tip)) serves \(safeRef) at \(tip.short), behind the verified \(verified!.short) (a stale or rewound mirror)"
                )
            }
            return RefOutcome(ref: ref, result: .behind(verified: verified!, served: served, source: name(served)), tip: verified)
        }
        let won = winner.tip!
        for tip in tips where tip != won && !refused.contains(where: { $0.tip == tip }) {
            if try repo.isAncestor(tip, of: won) {
                warnings.append("\(name(tip)) is behind on \(safeRef): it serves \(tip.short), \(won.short) is verified")
            } else {
                warnings.append(
                    "sources disagree on \(safeRef): \(name(tip)) serves \(tip.short), which is not part of the verified \(won.short)"
                )
            }
        }
        return winner
    }
}
