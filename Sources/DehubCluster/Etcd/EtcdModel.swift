/// One key of etcd with its revisions.
public struct EtcdKeyValue: Equatable, Sendable {
    public var key: String
    public var value: String
    public var createRevision: Int64
    public var modRevision: Int64
    public var version: Int64
    public var lease: Int64

    public init(key: String, value: String, createRevision: Int64, modRevision: Int64, version: Int64, lease: Int64 = 0) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }
}

/// A condition of a transaction (all must hold for its success branch to run).
public enum EtcdCompare: Equatable, Sendable {
    /// The key holds exactly this value (a missing key never does).
    case valueEquals(key: String, value: String)
    /// The key was last written at this revision.
    case modRevisionEquals(key: String, revision: Int64)
    /// The key does not exist (its create revision is 0).
    case absent(key: String)
}

/// An operation of a transaction.
public enum EtcdOperation: Equatable, Sendable {
    case put(key: String, value: String, lease: Int64? = nil)
    case delete(key: String)
    case range(key: String)
    case rangePrefix(prefix: String)
}

/// What a transaction did: which branch ran, the store's revision after it, and the keys each range operation of
/// that branch read, in order.
public struct EtcdTxnResult: Equatable, Sendable {
    public var succeeded: Bool
    public var revision: Int64
    public var ranges: [[EtcdKeyValue]]
}

/// What a watch reports: events in revision order, batched as etcd sends them.
public struct EtcdWatchBatch: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case put, delete }

    public struct Event: Equatable, Sendable {
        public var kind: Kind
        public var key: String
        public var value: String
        public var modRevision: Int64
    }

    /// The store's revision when etcd sent the batch.
    public var revision: Int64
    public var events: [Event]
}
