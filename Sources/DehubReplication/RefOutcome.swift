import DehubCore

/// What a sync did with one branch.
public struct RefOutcome: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        /// Moved to `tip` (from `source`) after `commits` commit(s) verified.
        case verified(tip: ObjectID, commits: Int, source: String)
        /// Already at the tip every source that has it agrees on.
        case unchanged(tip: ObjectID)
        /// No source serves anything beyond the verified tip: each serves it or one of its ancestors (a stale or
        /// rewound mirror). The verified tip stays.
        case behind(verified: ObjectID, served: ObjectID, source: String)
        /// What the sources serve does not verify; the verified tip (if any) stays. `message` is the engine's: the
        /// commit, the check, who signed and who was needed.
        case refused(message: String, served: ObjectID, source: String)
        /// No reachable source serves the branch any more; its verified ref was removed (never main).
        case removed(was: ObjectID)
        /// No source could be reached; the verified tip (if any) stays.
        case unreachable
    }

    /// Full ref name, `refs/heads/NAME`.
    public var ref: String
    public var result: Result
    /// The verified tip after the sync (nil: none).
    public var tip: ObjectID?

    public init(ref: String, result: Result, tip: ObjectID?) {
        self.ref = ref
        self.result = result
        self.tip = tip
    }

    public var isRefused: Bool {
        if case .refused = result { return true }
        return false
    }
}

/// Whether one source could be fetched.
public struct SourceStatus: Sendable, Equatable {
    public var source: ReplicationSource
    /// nil when it was fetched; else git's message.
    public var failure: String?

    public var isReachable: Bool { failure == nil }
}

/// Everything one sync did.
public struct SyncReport: Sendable, Equatable {
    /// The root of trust after the sync (nil: main never verified).
    public var root: ObjectID?
    /// True when this sync pinned the root (first use: no root was given nor kept).
    public var pinnedNow = false
    public var sources: [SourceStatus] = []
    /// One per branch, main first.
    public var refs: [RefOutcome] = []
    /// Mirrors that disagree, are behind or serve refused history, one line each.
    public var warnings: [String] = []
    /// The verified state after the sync.
    public var state = VerifiedState()

    public var main: RefOutcome? { refs.first { $0.ref == RefUpdate.mainRef } }
}
