/// A repository the cluster serves.
public struct RepoRecord: Codable, Equatable, Sendable {
    public var name: String
    public var isPrivate: Bool

    public init(name: String, isPrivate: Bool) {
        self.name = name
        self.isPrivate = isPrivate
    }
}

/// A live node: its id and the HTTP URL the other nodes reach it at.
public struct NodeRecord: Codable, Equatable, Sendable {
    public var id: String
    public var advertise: String
    /// A digest of the access config the node applies on its own (admins, token set, readers, push policy; never a
    /// token): `cluster status` flags nodes whose digest differs (`AccessDigest`). Absent from older nodes.
    public var access: String?

    public init(id: String, advertise: String, access: String? = nil) {
        self.id = id
        self.advertise = advertise
        self.access = access
    }
}

/// What a replica last published about its copy of a repo.
public struct ReplicaState: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// Its refs equal the store's at `revision`: it serves the repo.
        case serving
        /// Fetching and verifying what the store holds.
        case catchingUp = "catching-up"
        /// Its verdict differs from the store's, or its copy could not be repaired: it does not serve the repo.
        case alarm
    }

    public var repo: String
    public var node: String
    /// The store revision whose refs it applied.
    public var revision: Int64
    /// The checksum of its own refs (`ReplicaChecksum`).
    public var checksum: String
    public var status: Status
    /// Why, for an alarm.
    public var detail: String

    public init(repo: String, node: String, revision: Int64, checksum: String, status: Status, detail: String = "") {
        self.repo = repo
        self.node = node
        self.revision = revision
        self.checksum = checksum
        self.status = status
        self.detail = detail
    }
}

/// A repo's refs as the store holds them.
public struct RepoSnapshot: Equatable, Sendable {
    public var repo: String
    public var refs: [String: String]
    public var checksum: ReplicaChecksum
    /// The store's revision when read.
    public var revision: Int64
    /// The last transaction on the repo, if the store still has it.
    public var lastTransaction: RefTransaction?

    public init(
        repo: String, refs: [String: String], checksum: ReplicaChecksum, revision: Int64,
        lastTransaction: RefTransaction?
    ) {
        self.repo = repo
        self.refs = refs
        self.checksum = checksum
        self.revision = revision
        self.lastTransaction = lastTransaction
    }
}

/// What changed in the store, as a watch reports it.
public struct StoreChanges: Equatable, Sendable {
    public var revision: Int64
    /// Repos whose refs, checksum, log or record changed.
    public var repos: Set<String> = []
    /// Repos with a replica whose published state changed.
    public var replicas: Set<String> = []
    /// Whether a node joined or left.
    public var nodes = false

    public init(revision: Int64) { self.revision = revision }
}
