/// What the cluster's nodes agree on, and the one place they write it: per repo and ref the verified oid with a
/// replica checksum updated in the same transaction, the last transaction, each replica's published state, and
/// the live nodes. `EtcdRefStore` keeps it in etcd; `InMemoryRefStore` is for pure tests.
public protocol RefStore: Sendable {
    /// Commits the transaction only if every ref is at its `old` value (compare-and-swap on all of them at once).
    func commit(_ transaction: RefTransaction) async throws -> RefCommitResult

    /// The repo's refs, checksum and last transaction.
    func snapshot(repo: String) async throws -> RepoSnapshot

    /// Every repo of the cluster.
    func repos() async throws -> [RepoRecord]

    /// Adds the repo when the store does not have it yet; returns the record the store holds.
    @discardableResult
    func addRepo(_ record: RepoRecord) async throws -> RepoRecord

    func publish(_ state: ReplicaState) async throws

    /// Every replica's published state (of every repo).
    func replicas() async throws -> [ReplicaState]

    /// The live nodes.
    func nodes() async throws -> [NodeRecord]

    /// Registers the node under a new lease of `ttlSeconds`; returns the lease.
    func register(_ node: NodeRecord, ttlSeconds: Int) async throws -> Int64

    /// Renews the lease; throws `leaseExpired` when it is gone.
    func keepAlive(lease: Int64) async throws

    /// Ends the lease (the node leaves at once).
    func revoke(lease: Int64) async throws

    /// The store's current revision.
    func revision() async throws -> Int64

    /// Changes after `revision`, batched. Ends with `compacted` when that history is gone, or `unavailable`.
    func changes(after revision: Int64) -> AsyncThrowingStream<StoreChanges, any Error>
}
