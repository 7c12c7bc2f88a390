import Foundation
import Synchronization

/// The ref store in etcd (layout: `ClusterKeys`). A commit plans from the refs and the checksum (`RefCommitPlan`),
/// then commits in one etcd transaction that compares every ref with its old value and the checksum with the
/// revision it was read at; when that fails the same transaction returns what the store holds, and the commit plans
/// again (a conflict if a ref of the transaction moved, a fresh checksum if another ref of the repo did).
public final class EtcdRefStore: RefStore {
    public let client: EtcdClient
    public let keys: ClusterKeys

    public init(client: EtcdClient, keys: ClusterKeys = ClusterKeys()) {
        self.client = client
        self.keys = keys
    }

    static let maxAttempts = 16

    /// The last checksum this client wrote or read per repo, with its etcd mod revision: the first try of a commit
    /// assumes the refs are at their old values and the checksum is this one, so a node's pushes in a row cost one
    /// round trip. When the assumption is wrong the transaction fails and returns what the store holds instead.
    private let lastChecksum = Mutex<[String: (value: String, modRevision: Int64)]>([:])

    public func commit(_ transaction: RefTransaction) async throws -> RefCommitResult {
        try transaction.validate()
        let repo = transaction.repo
        let refKeys = transaction.changes.map { keys.ref(repo, $0.ref) }
        let sumKey = keys.sum(repo)
        let reads: [EtcdOperation] = (refKeys + [sumKey]).map { .range(key: $0) }
        let log = String(decoding: try Self.encoder.encode(transaction), as: UTF8.self)
        // What the plan works from: the optimistic guess first, then what the store returned.
        var current: [String: String] = [:]
        for change in transaction.changes { current[change.ref] = change.old }
        var sum = lastChecksum.withLock { $0[repo] }
        var optimistic = sum != nil
        if !optimistic {
            let read = try await client.txn(compare: [], success: reads)
            (current, sum) = try Self.state(read.ranges, transaction)
        }
        for _ in 0..<Self.maxAttempts {
            let checksum = try sum.map { try Self.checksum($0.value) } ?? .empty
            let plan = RefCommitPlan.plan(transaction, current: current, checksum: checksum)
            if optimistic, case .apply = plan {
            } else if optimistic {
                // Only a real read may say "conflict" or "already there".
                optimistic = false
                let read = try await client.txn(compare: [], success: reads)
                (current, sum) = try Self.state(read.ranges, transaction)
                continue
            }
            switch plan {
            case .conflict(let ref, let value):
                return .conflict(ref: ref, storeValue: value)
            case .alreadyInStore:
                return .alreadyInStore(revision: try await revision())
            case .apply(let newChecksum):
                var compare: [EtcdCompare] = zip(transaction.changes, refKeys).map { change, key in
                    change.old.map { .valueEquals(key: key, value: $0) } ?? .absent(key: key)
                }
                compare.append(sum.map { .modRevisionEquals(key: sumKey, revision: $0.modRevision) } ?? .absent(key: sumKey))
                var writes: [EtcdOperation] = zip(transaction.changes, refKeys).map { change, key in
                    change.new.map { .put(key: key, value: $0) } ?? .delete(key: key)
                }
                writes.append(.put(key: sumKey, value: newChecksum.description))
                writes.append(.put(key: keys.log(repo), value: log))
                let result = try await client.txn(compare: compare, success: writes, failure: reads)
                if result.succeeded {
                    lastChecksum.withLock { $0[repo] = (newChecksum.description, result.revision) }
                    return .committed(revision: result.revision)
                }
                // Something moved (or the guess was wrong): plan again from what the store holds now.
                optimistic = false
                (current, sum) = try Self.state(result.ranges, transaction)
            }
        }
        throw ClusterStoreError.unavailable("the commit on \(repo) kept losing races (\(Self.maxAttempts) tries)")
    }

    /// The refs of the transaction and the checksum (value, mod revision) from a read of `refs + [sum]`.
    private static func state(_ ranges: [[EtcdKeyValue]], _ transaction: RefTransaction) throws -> (
        [String: String], (value: String, modRevision: Int64)?
    ) {
        guard ranges.count == transaction.changes.count + 1 else {
            throw ClusterStoreError(.invalidResponse, "a read of \(transaction.changes.count + 1) keys gave \(ranges.count)")
        }
        var current: [String: String] = [:]
        for (change, values) in zip(transaction.changes, ranges) where !values.isEmpty { current[change.ref] = values[0].value }
        let sum = ranges[transaction.changes.count].first.map { (value: $0.value, modRevision: $0.modRevision) }
        return (current, sum)
    }

    public func snapshot(repo: String) async throws -> RepoSnapshot {
        let read = try await client.txn(
            compare: [],
            success: [.rangePrefix(prefix: keys.refsPrefix(repo)), .range(key: keys.sum(repo)), .range(key: keys.log(repo))])
        guard read.ranges.count == 3 else {
            throw ClusterStoreError(.invalidResponse, "a snapshot read gave \(read.ranges.count) ranges")
        }
        let prefix = keys.refsPrefix(repo)
        var refs: [String: String] = [:]
        for kv in read.ranges[0] { refs[String(kv.key.dropFirst(prefix.count))] = kv.value }
        let checksum = try read.ranges[1].first.map { try Self.checksum($0.value) } ?? .empty
        let last = read.ranges[2].first.flatMap { try? JSONDecoder().decode(RefTransaction.self, from: Data($0.value.utf8)) }
        return RepoSnapshot(repo: repo, refs: refs, checksum: checksum, revision: read.revision, lastTransaction: last)
    }

    public func repos() async throws -> [RepoRecord] {
        try await client.list(prefix: keys.reposPrefix).values.map { try Self.decode(RepoRecord.self, $0.value) }
    }

    @discardableResult
    public func addRepo(_ record: RepoRecord) async throws -> RepoRecord {
        let key = keys.repo(record.name)
        let value = String(decoding: try Self.encoder.encode(record), as: UTF8.self)
        let result = try await client.txn(
            compare: [.absent(key: key)], success: [.put(key: key, value: value)], failure: [.range(key: key)])
        if result.succeeded { return record }
        guard let existing = result.ranges.first?.first else { return record }
        return try Self.decode(RepoRecord.self, existing.value)
    }

    public func publish(_ state: ReplicaState) async throws {
        try await client.put(
            keys.replica(state.repo, state.node), String(decoding: try Self.encoder.encode(state), as: UTF8.self))
    }

    public func replicas() async throws -> [ReplicaState] {
        try await client.list(prefix: keys.replicasRoot).values.map { try Self.decode(ReplicaState.self, $0.value) }
    }

    public func nodes() async throws -> [NodeRecord] {
        try await client.list(prefix: keys.nodesPrefix).values.map { try Self.decode(NodeRecord.self, $0.value) }
    }

    public func register(_ node: NodeRecord, ttlSeconds: Int) async throws -> Int64 {
        let lease = try await client.grantLease(ttlSeconds: ttlSeconds)
        try await client.put(keys.node(node.id), String(decoding: try Self.encoder.encode(node), as: UTF8.self), lease: lease)
        return lease
    }

    public func keepAlive(lease: Int64) async throws { try await client.keepAlive(lease: lease) }

    public func revoke(lease: Int64) async throws { try await client.revoke(lease: lease) }

    public func revision() async throws -> Int64 { try await client.get(keys.sum("")).revision }

    public func changes(after revision: Int64) -> AsyncThrowingStream<StoreChanges, any Error> {
        let keys = self.keys
        let batches = client.watch(prefix: keys.all, startRevision: revision + 1)
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: StoreChanges.self)
        let task = Task {
            do {
                for try await batch in batches {
                    var changes = StoreChanges(revision: batch.events.map(\.modRevision).max() ?? batch.revision)
                    for event in batch.events {
                        switch keys.parse(event.key) {
                        case .repo(let repo), .sum(let repo), .log(let repo), .ref(let repo, _): changes.repos.insert(repo)
                        case .replica(let repo, _): changes.replicas.insert(repo)
                        case .node: changes.nodes = true
                        case nil: break
                        }
                    }
                    continuation.yield(changes)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func checksum(_ text: String) throws -> ReplicaChecksum {
        guard let checksum = ReplicaChecksum(text) else {
            throw ClusterStoreError(.invalidResponse, "a replica checksum '\(text.prefix(80))' is malformed")
        }
        return checksum
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw ClusterStoreError(.invalidResponse, "a \(type) record: \(error)")
        }
    }
}
