import Foundation

/// One sync of one mirror: take the mirror's lock, run the engine, record the outcome per ref in the state file.
/// The first sync of a mirror added without `--root` records the root it verified (trust on first use).
public struct MirrorSync: Sendable {
    public let files: MirrorFiles
    public let engine: any MirrorEngine

    public init(store: RepoStore, engine: any MirrorEngine) {
        self.files = MirrorFiles(store: store)
        self.engine = engine
    }

    public enum Outcome: Sendable, Equatable {
        case done(MirrorState)
        /// Another sync of this mirror is running (its result will be in the state file).
        case busy
    }

    /// - Parameter wait: how long to wait for a running sync of the same mirror (nil: not at all).
    public func run(_ name: RepoName, wait: Duration? = nil, now: @Sendable () -> Date = Date.init) async throws -> Outcome {
        guard let spec = try files.spec(name) else { throw HostError(.refused, "\(name) is not a mirror") }
        guard let lock = try await MirrorLock.acquire(files.lockPath(name), wait: wait) else { return .busy }
        defer { lock.release() }
        let report = await engine.sync(
            MirrorRun(
                name: name, upstream: spec.upstream, root: spec.root, servedPath: files.store.path(of: name),
                cachePath: files.cachePath(name)))
        var state = try files.state(name)
        let stamp = ProjectLineage.timestamp(now())
        Self.record(report, into: &state, at: stamp, redacting: spec.upstream)
        if spec.root == nil, let root = report.root, case .verified = report.refs["refs/heads/main"] {
            var pinned = spec
            pinned.root = root
            pinned.rootSource = .firstSync
            try files.saveSpec(pinned, for: name)
        }
        try files.saveState(state, for: name)
        return .done(state)
    }

    /// Folds one report into the state (pure).
    static func record(_ report: MirrorRunReport, into state: inout MirrorState, at stamp: String, redacting upstream: String) {
        state.lastSync = stamp
        let shown = UpstreamURL.redacted(upstream)
        func clean(_ text: String) -> String { upstream == shown ? text : text.replacingOccurrences(of: upstream, with: shown) }
        if let failure = report.failure {
            state.problem = "sync failed: " + clean(failure)
            return
        }
        if let unreachable = report.unreachable {
            state.problem = "upstream unreachable: " + clean(unreachable)
            state.refs = state.refs.filter { $0.value.result != .deleted }
            for ref in state.refs.keys {
                state.refs[ref]?.result = .unreachable
                state.refs[ref]?.message = state.problem
                state.refs[ref]?.lastSync = stamp
            }
            if state.refs["refs/heads/main"] == nil {
                state.refs["refs/heads/main"] = MirrorState.RefState(
                    tip: nil, upstreamTip: nil, result: .unreachable, message: state.problem, commits: nil, lastSync: stamp)
            }
            return
        }
        state.problem = nil
        for (ref, outcome) in report.refs {
            var entry =
                state.refs[ref]
                ?? MirrorState.RefState(
                    tip: nil, upstreamTip: nil, result: .verified, message: nil, commits: nil, lastSync: stamp)
            entry.lastSync = stamp
            switch outcome {
            case .verified(let tip, let commits):
                if entry.tip != tip || entry.verifiedAt == nil { entry.verifiedAt = stamp }
                entry.tip = tip
                entry.upstreamTip = tip
                entry.result = .verified
                entry.message = nil
                entry.commits = commits
            case .refused(let upstreamTip, let message):
                entry.upstreamTip = upstreamTip
                entry.result = .refused
                entry.message = clean(message)
                entry.commits = nil
            case .deleted:
                entry.tip = nil
                entry.upstreamTip = nil
                entry.result = .deleted
                entry.message = nil
                entry.commits = nil
            }
            state.refs[ref] = entry
        }
        // Branches the upstream no longer has and the mirror already dropped are forgotten after one report.
        for (ref, entry) in state.refs where report.refs[ref] == nil && entry.result == .deleted {
            state.refs[ref] = nil
        }
    }
}
