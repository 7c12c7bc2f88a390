import DehubCore

/// What a replica trusts: the pinned root of trust (the root commit of main) and, per branch, the last tip that
/// verified. A sync verifies only what lies beyond it, and never moves main backwards from it. It is kept in the
/// cache repository (`ReplicaCache`): the root in its config (`dehub.root`), the tips as its `refs/heads/*`, so a
/// restarted replica resumes from it.
public struct VerifiedState: Sendable, Equatable {
    /// The root commit of main, once pinned.
    public var root: ObjectID?
    /// Full ref name (`refs/heads/NAME`) to its last verified tip.
    public var tips: [String: ObjectID]

    public init(root: ObjectID? = nil, tips: [String: ObjectID] = [:]) {
        self.root = root
        self.tips = tips
    }

    public var main: ObjectID? { tips[RefUpdate.mainRef] }
}
