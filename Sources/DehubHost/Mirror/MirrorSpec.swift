import Foundation

/// What makes a repository a read-only mirror, kept in `NAME.git/dehub-mirror.json`: the upstream it follows and
/// the root of trust its `main` must grow from.
///
///     {"version": 1, "upstream": "https://a.example.org/demo.git", "root": "OID", "root_source": "pinned"}
///
/// `root_source` is `pinned` when the admin gave `--root OID`, `first-sync` when the mirror took the upstream's root
/// on its first successful sync (trust on first use; `mirror status` shows it so an admin can compare it with the
/// project's published id). Once set, the root never changes: an upstream whose `main` grows from another root is
/// refused.
public struct MirrorSpec: Codable, Equatable, Sendable {
    public enum RootSource: String, Codable, Sendable {
        case pinned
        case firstSync = "first-sync"
    }

    public var version: Int = 1
    public var upstream: String
    public var root: String?
    public var rootSource: RootSource?

    public init(upstream: String, root: String? = nil) {
        self.upstream = upstream
        self.root = root
        self.rootSource = root == nil ? nil : .pinned
    }

    enum CodingKeys: String, CodingKey {
        case version, upstream, root
        case rootSource = "root_source"
    }

    public static let fileName = "dehub-mirror.json"
}

/// The last sync of a mirror, per ref, kept in `NAME.git/dehub-mirror-state.json` (written atomically after every
/// sync). `tip` is what the mirror serves (verified); `upstream_tip` what the upstream last showed.
public struct MirrorState: Codable, Equatable, Sendable {
    public enum Result: String, Codable, Sendable {
        /// The upstream's tip verified and is served (or nothing changed).
        case verified
        /// The upstream's tip did not verify; the mirror keeps serving its last verified tip. `message` is the
        /// engine's (the commit and the rule).
        case refused
        /// The upstream could not be reached or read; the mirror keeps serving what it has.
        case unreachable
        /// The upstream deleted this branch, and so did the mirror (never `main`).
        case deleted
    }

    public struct RefState: Codable, Equatable, Sendable {
        public var tip: String?
        public var upstreamTip: String?
        public var result: Result
        public var message: String?
        public var commits: Int?
        public var lastSync: String
        /// When `tip` last verified.
        public var verifiedAt: String?

        enum CodingKeys: String, CodingKey {
            case tip, result, message, commits
            case upstreamTip = "upstream_tip"
            case lastSync = "last_sync"
            case verifiedAt = "verified_at"
        }
    }

    public var version: Int = 1
    public var lastSync: String?
    /// The whole-upstream problem of the last sync (unreachable, or a root that is not the pinned one), nil when none.
    public var problem: String?
    public var refs: [String: RefState] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case version, problem, refs
        case lastSync = "last_sync"
    }

    public static let fileName = "dehub-mirror-state.json"
}
