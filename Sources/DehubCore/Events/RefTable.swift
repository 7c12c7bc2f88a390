/// What a watcher knows of one remote's refs, so that what it reports is what changed, once: a fresh snapshot
/// after a reconnect reports only the refs that differ from before (a ref gone counts), and a change it already
/// knows (a replay that overlaps) reports nothing.
public struct RefTable: Sendable, Equatable {
    /// Full ref name (with the repository, when one connection watches several) → object id.
    public private(set) var refs: [RefKey: String] = [:]
    /// Whether a snapshot has been taken in (before it, there is nothing to compare with).
    public private(set) var isKnown = false
    private var staged: [RefKey: String]?

    public struct RefKey: Hashable, Sendable, Comparable {
        public let repo: String
        public let ref: String
        public init(repo: String, ref: String) {
            self.repo = repo
            self.ref = ref
        }
        public static func < (a: RefKey, b: RefKey) -> Bool { (a.repo, a.ref) < (b.repo, b.ref) }
    }

    public init() {}

    /// A connection starts: its snapshot lines are gathered until `ready`.
    public mutating func beginSnapshot() { staged = [:] }

    /// A `snapshot` line; false when none was begun (the stream is out of order).
    public mutating func snapshot(repo: String, ref: String, oid: String) -> Bool {
        guard staged != nil else { return false }
        staged?[RefKey(repo: repo, ref: ref)] = oid
        return true
    }

    /// `ready`: the gathered snapshot replaces the table; returns the refs that differ from the table before it
    /// (none the first time: there was nothing to compare with), sorted. After a replay (the missed changes came
    /// as changes) the table stays.
    public mutating func ready(replayed: Bool) -> [RefKey] {
        defer { staged = nil }
        guard !replayed, let fresh = staged else { return [] }
        let wasKnown = isKnown
        let before = refs
        refs = fresh
        isKnown = true
        guard wasKnown else { return [] }
        let keys = Set(before.keys).union(fresh.keys)
        return keys.filter { before[$0] != fresh[$0] }.sorted()
    }

    /// A live change; true when it tells something new (the ref was not already at `new`).
    public mutating func change(_ event: RefEvent) -> Bool {
        let key = RefKey(repo: event.repo, ref: event.ref)
        let newValue: String? = event.isDeletion ? nil : event.new
        guard refs[key] != newValue else { return false }
        refs[key] = newValue
        return true
    }

    /// Forgets the snapshot in progress (the connection dropped before `ready`).
    public mutating func abandon() { staged = nil }
}
