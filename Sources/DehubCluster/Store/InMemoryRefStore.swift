import Synchronization

/// The ref store in memory, with the same plan and the same answers as the etcd one: for pure tests of what is
/// built on a store. `unavailable` makes every call fail as a store without quorum does.
public final class InMemoryRefStore: RefStore {
    struct State {
        var revision: Int64 = 1
        var refs: [String: [String: String]] = [:]
        var sums: [String: ReplicaChecksum] = [:]
        var logs: [String: RefTransaction] = [:]
        var repos: [String: RepoRecord] = [:]
        var replicas: [String: ReplicaState] = [:]
        var nodes: [Int64: NodeRecord] = [:]
        var nextLease: Int64 = 1
        var watchers: [Int: AsyncThrowingStream<StoreChanges, any Error>.Continuation] = [:]
        var nextWatcher = 0
        var unavailable = false
    }

    private let state = Mutex(State())

    public init() {}

    /// While true, every call throws `cluster store unavailable`.
    public var unavailable: Bool {
        get { state.withLock { $0.unavailable } }
        set { state.withLock { $0.unavailable = newValue } }
    }

    private func withState<T>(_ body: (inout State) throws -> T) throws -> T {
        try state.withLock { state in
            guard !state.unavailable else { throw ClusterStoreError.unavailable("the in-memory store is switched off") }
            return try body(&state)
        }
    }

    private static func notify(_ state: inout State, _ edit: (inout StoreChanges) -> Void) {
        state.revision += 1
        var changes = StoreChanges(revision: state.revision)
        edit(&changes)
        for watcher in state.watchers.values { watcher.yield(changes) }
    }

    public func commit(_ transaction: RefTransaction) async throws -> RefCommitResult {
        try transaction.validate()
        return try withState { state in
            let repo = transaction.repo
            let current = state.refs[repo] ?? [:]
            switch RefCommitPlan.plan(transaction, current: current, checksum: state.sums[repo] ?? .empty) {
            case .conflict(let ref, let value): return .conflict(ref: ref, storeValue: value)
            case .alreadyInStore: return .alreadyInStore(revision: state.revision)
            case .apply(let checksum):
                var refs = current
                for change in transaction.changes { refs[change.ref] = change.new }
                state.refs[repo] = refs
                state.sums[repo] = checksum
                state.logs[repo] = transaction
                Self.notify(&state) { $0.repos.insert(repo) }
                return .committed(revision: state.revision)
            }
        }
    }

    public func snapshot(repo: String) async throws -> RepoSnapshot {
        try withState { state in
            RepoSnapshot(
                repo: repo, refs: state.refs[repo] ?? [:], checksum: state.sums[repo] ?? .empty, revision: state.revision,
                lastTransaction: state.logs[repo])
        }
    }

    public func repos() async throws -> [RepoRecord] {
        try withState { state in state.repos.values.sorted { $0.name < $1.name } }
    }

    @discardableResult
    public func addRepo(_ record: RepoRecord) async throws -> RepoRecord {
        try withState { state in
            if let existing = state.repos[record.name] { return existing }
            state.repos[record.name] = record
            Self.notify(&state) { $0.repos.insert(record.name) }
            return record
        }
    }

    public func publish(_ replica: ReplicaState) async throws {
        try withState { state in
            state.replicas[replica.repo + ":" + replica.node] = replica
            Self.notify(&state) { $0.replicas.insert(replica.repo) }
        }
    }

    public func replicas() async throws -> [ReplicaState] {
        try withState { state in state.replicas.keys.sorted().compactMap { state.replicas[$0] } }
    }

    public func nodes() async throws -> [NodeRecord] {
        try withState { state in state.nodes.values.sorted { $0.id < $1.id } }
    }

    public func register(_ node: NodeRecord, ttlSeconds: Int) async throws -> Int64 {
        try withState { state in
            let lease = state.nextLease
            state.nextLease += 1
            state.nodes = state.nodes.filter { $0.value.id != node.id }
            state.nodes[lease] = node
            Self.notify(&state) { $0.nodes = true }
            return lease
        }
    }

    public func keepAlive(lease: Int64) async throws {
        try withState { state in
            guard state.nodes[lease] != nil else { throw ClusterStoreError(.leaseExpired, "lease \(lease) is gone") }
        }
    }

    public func revoke(lease: Int64) async throws {
        try withState { state in
            guard state.nodes.removeValue(forKey: lease) != nil else { return }
            Self.notify(&state) { $0.nodes = true }
        }
    }

    public func revision() async throws -> Int64 { try withState { $0.revision } }

    public func changes(after revision: Int64) -> AsyncThrowingStream<StoreChanges, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: StoreChanges.self)
        let id = state.withLock { state in
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) } }
        return stream
    }
}
