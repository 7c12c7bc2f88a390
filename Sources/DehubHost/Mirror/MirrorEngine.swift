/// The fetch-verify-advance core as a mirror uses it: bring the upstream's branches into the side cache, verify what
/// is new with the hook's rules from the root of trust or the last verified tip, and advance the served repository's
/// refs only to verified tips. The mirror code around it (`MirrorSync`) owns the lock, the spec, the state file and
/// the schedule; an engine owns nothing but one run.
public protocol MirrorEngine: Sendable {
    func sync(_ run: MirrorRun) async -> MirrorRunReport
}

/// One sync's inputs.
public struct MirrorRun: Sendable {
    public var name: RepoName
    /// The upstream's URL (as configured, credentials included).
    public var upstream: String
    /// The root of trust `main` must grow from; nil on the first sync of a mirror added without `--root`.
    public var root: String?
    /// The served repository (guarded by the hook, refs moved only by the engine).
    public var servedPath: String
    /// The side cache repository (created by the engine when missing).
    public var cachePath: String

    public init(name: RepoName, upstream: String, root: String?, servedPath: String, cachePath: String) {
        self.name = name
        self.upstream = upstream
        self.root = root
        self.servedPath = servedPath
        self.cachePath = cachePath
    }
}

/// One sync's outcome: per branch, and for the upstream as a whole.
public struct MirrorRunReport: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The served ref is now `tip`, verified (`commits` new commits; 0 when nothing changed).
        case verified(tip: String, commits: Int)
        /// The upstream's `upstreamTip` did not verify; the served ref did not move. `message`: the engine's reason
        /// (the commit and the rule).
        case refused(upstreamTip: String?, message: String)
        /// The upstream deleted the branch, and the mirror followed (never `main`).
        case deleted
    }

    /// Per ref (`refs/heads/...`).
    public var refs: [String: Outcome] = [:]
    /// Set when the upstream could not be reached or read: nothing moved.
    public var unreachable: String?
    /// Set when the sync could not run at all for another reason (the cache cannot be read, or it was pinned to
    /// another root): nothing moved.
    public var failure: String?
    /// The root of the upstream's `main` as verified, for a mirror whose root is taken on first sync.
    public var root: String?

    public init(refs: [String: Outcome] = [:], unreachable: String? = nil, failure: String? = nil, root: String? = nil) {
        self.refs = refs
        self.unreachable = unreachable
        self.failure = failure
        self.root = root
    }
}
