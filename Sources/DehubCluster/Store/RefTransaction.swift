/// One ref's move in a transaction: `old` is the exact value the pushing node's hook verified, `new` the value it
/// verified the push brings; nil is "absent" (a created or deleted ref).
public struct RefChange: Codable, Equatable, Hashable, Sendable {
    public var ref: String
    public var old: String?
    public var new: String?

    public init(ref: String, old: String?, new: String?) {
        self.ref = ref
        self.old = old
        self.new = new
    }
}

/// The ref updates of one git ref transaction on one repo, as the writer node commits them to the store, and as
/// the store's log keeps them for the replicas: who wrote it, and the pusher's role the hook judged it with.
public struct RefTransaction: Codable, Equatable, Sendable {
    public var repo: String
    public var changes: [RefChange]
    /// The node that received the push (replicas fetch the new objects from it first).
    public var writer: String
    /// The pusher's role as the writer's hook saw it (`DEHUB_PUSHER_ROLE`), so replicas judge with the same facts.
    public var role: String

    public init(repo: String, changes: [RefChange], writer: String, role: String) {
        self.repo = repo
        self.changes = changes
        self.writer = writer
        self.role = role
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case tooMany(Int)
        case badRef(String)
        case badOID(String)
        case duplicate(String)

        public var description: String {
            switch self {
            case .empty: "the transaction updates no ref"
            case .tooMany(let count): "the transaction updates \(count) refs (at most \(RefTransaction.maxChanges))"
            case .badRef(let ref): "'\(ref)' is not a ref name the cluster stores"
            case .badOID(let oid): "'\(oid)' is not an object id"
            case .duplicate(let ref): "\(ref) appears twice in one transaction"
            }
        }
    }

    /// etcd allows 128 operations in a transaction by default; each ref takes one, plus the checksum and the log.
    public static let maxChanges = 100

    /// Checks the shape: refs under `refs/` without `:`, whitespace or control characters; hex object ids.
    public func validate() throws(Problem) {
        guard !changes.isEmpty else { throw .empty }
        guard changes.count <= Self.maxChanges else { throw .tooMany(changes.count) }
        var seen = Set<String>()
        for change in changes {
            guard Self.isStorableRef(change.ref) else { throw .badRef(change.ref) }
            guard seen.insert(change.ref).inserted else { throw .duplicate(change.ref) }
            for oid in [change.old, change.new].compactMap({ $0 }) where !Self.isObjectID(oid) { throw .badOID(oid) }
        }
    }

    public static func isStorableRef(_ ref: String) -> Bool {
        ref.hasPrefix("refs/") && ref.utf8.count <= 1024 && !ref.hasSuffix("/")
            && ref.utf8.allSatisfy { $0 > 32 && $0 != 127 && $0 != UInt8(ascii: ":") }
    }

    /// 40 (SHA-1) or 64 (SHA-256) lower-case hex digits, not all zero (zero means absent and is written nil).
    public static func isObjectID(_ text: String) -> Bool {
        (text.utf8.count == 40 || text.utf8.count == 64)
            && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
            && text.utf8.contains { $0 != 48 }
    }
}

/// What committing a transaction did.
public enum RefCommitResult: Equatable, Sendable {
    /// The store now holds the new values, at this revision.
    case committed(revision: Int64)
    /// The store already held every new value (a retried or repeated update): nothing to do.
    case alreadyInStore(revision: Int64)
    /// `ref` is not at the old value the hook verified: another node moved it first.
    case conflict(ref: String, storeValue: String?)
}
