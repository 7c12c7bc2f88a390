import DehubTestSupport
import Foundation
import Testing

@testable import DehubCluster

/// Against a real three-member etcd on loopback (`EtcdCluster`), started and stopped by each test.
@Suite("etcd client and ref store against a real etcd", .serialized, .enabled(if: EtcdCluster.isAvailable))
struct EtcdStoreTests {
    static func client(_ cluster: EtcdCluster, timeout: Duration = .seconds(3)) throws -> EtcdClient {
        EtcdClient(endpoints: try EtcdEndpoints.parse(cluster.endpoints).get(), timeout: timeout)
    }

    @Test("kv, txn compares, leases and watches over the JSON gateway")
    func client() async throws {
        let cluster = try EtcdCluster()
        defer { cluster.stop() }
        let etcd = try Self.client(cluster)
        let start = try await etcd.get("/t/none")
        #expect(start.value == nil)
        let watch = etcd.watch(prefix: "/t/", startRevision: start.revision + 1)
        let r1 = try await etcd.put("/t/a", "one")
        try await etcd.put("/t/b", "two")
        try await etcd.put("/u/c", "other prefix")
        #expect(try await etcd.get("/t/a").value?.value == "one")
        #expect(try await etcd.list(prefix: "/t/").values.map(\.key) == ["/t/a", "/t/b"])
        // Compare on value, on mod revision, on absence.
        var txn = try await etcd.txn(
            compare: [.valueEquals(key: "/t/a", value: "one")], success: [.put(key: "/t/a", value: "uno")])
        #expect(txn.succeeded)
        txn = try await etcd.txn(
            compare: [.modRevisionEquals(key: "/t/a", revision: r1)], success: [.put(key: "/t/a", value: "x")],
            failure: [.range(key: "/t/a")])
        #expect(!txn.succeeded)
        #expect(txn.ranges.first?.first?.value == "uno")
        txn = try await etcd.txn(compare: [.absent(key: "/t/a")], success: [.put(key: "/t/a", value: "x")])
        #expect(!txn.succeeded)
        txn = try await etcd.txn(
            compare: [.absent(key: "/t/new")], success: [.put(key: "/t/new", value: "y"), .delete(key: "/t/b")])
        #expect(txn.succeeded)
        #expect(try await etcd.list(prefix: "/t/").values.map(\.key) == ["/t/a", "/t/new"])
        // The watch saw every change under /t/ in order, and nothing else.
        var events: [EtcdWatchBatch.Event] = []
        for try await batch in watch {
            events += batch.events
            if events.count >= 5 { break }
        }
        #expect(events.map(\.key) == ["/t/a", "/t/b", "/t/a", "/t/new", "/t/b"])
        #expect(events.map(\.kind) == [.put, .put, .put, .put, .delete])
        #expect(events.first?.value == "one")
        // A lease: keys under it go when it is revoked; a revoked lease cannot be kept alive.
        let lease = try await etcd.grantLease(ttlSeconds: 30)
        try await etcd.put("/t/leased", "here", lease: lease)
        try await etcd.keepAlive(lease: lease)
        try await etcd.revoke(lease: lease)
        #expect(try await etcd.get("/t/leased").value == nil)
        await #expect(throws: ClusterStoreError(.leaseExpired, "lease \(lease) is gone")) {
            try await etcd.keepAlive(lease: lease)
        }
    }

    @Test("a watch from compacted history ends with 'compacted'")
    func compacted() async throws {
        let cluster = try EtcdCluster(members: 1)
        defer { cluster.stop() }
        let etcd = try Self.client(cluster)
        let first = try await etcd.put("/t/a", "1")
        let last = try await etcd.put("/t/a", "2")
        let result = try HostCommandRunner.run(
            ["curl", "-s", "-X", "POST", cluster.members[0].clientURL + "/v3/kv/compaction", "-d", "{\"revision\":\"\(last)\"}"],
            environment: ProcessInfo.processInfo.environment)
        #expect(result.status == 0)
        do {
            for try await _ in etcd.watch(prefix: "/t/", startRevision: first) {}
            Issue.record("the watch did not fail")
        } catch let error as ClusterStoreError {
            #expect(error.kind == .compacted(revision: last))
        }
    }

    @Test("the ref store contract, and 20 rounds of three racing writers")
    func contract() async throws {
        let cluster = try EtcdCluster()
        defer { cluster.stop() }
        let store = EtcdRefStore(client: try Self.client(cluster), keys: ClusterKeys(prefix: "/contract"))
        try await RefStoreContract.run(store)
        try await RefStoreContract.races(store, rounds: 20)
        // The checksum in etcd is the checksum of the refs in etcd.
        let snapshot = try await store.snapshot(repo: "race")
        #expect(snapshot.checksum == ReplicaChecksum(refs: snapshot.refs))
    }

    @Test("watching the store reports which repos, replicas and nodes changed")
    func storeChanges() async throws {
        let cluster = try EtcdCluster(members: 1)
        defer { cluster.stop() }
        let store = EtcdRefStore(client: try Self.client(cluster))
        let stream = store.changes(after: try await store.revision())
        _ = try await store.commit(
            RefStoreContract.transaction([RefChange(ref: "refs/heads/main", old: nil, new: RefStoreContract.a)]))
        _ = try await store.register(NodeRecord(id: "n1", advertise: "http://h:1"), ttlSeconds: 5)
        var seen = StoreChanges(revision: 0)
        for try await changes in stream {
            seen.repos.formUnion(changes.repos)
            seen.nodes = seen.nodes || changes.nodes
            if seen.nodes { break }
        }
        #expect(seen.repos == ["demo"])
    }

    @Test(
        "two of three members stopped: commits are refused as 'cluster store unavailable' within a bounded time; back, they work")
    func noQuorum() async throws {
        let cluster = try EtcdCluster()
        defer { cluster.stop() }
        let store = EtcdRefStore(client: try Self.client(cluster, timeout: .seconds(2)))
        let create = RefStoreContract.transaction([RefChange(ref: "refs/heads/main", old: nil, new: RefStoreContract.a)])
        _ = try await store.commit(create)
        cluster.kill(1)
        cluster.kill(2)
        let started = ContinuousClock.now
        do {
            _ = try await store.commit(
                RefStoreContract.transaction([RefChange(ref: "refs/heads/main", old: RefStoreContract.a, new: RefStoreContract.b)]
                ))
            Issue.record("committed without a quorum")
        } catch let error as ClusterStoreError {
            #expect(error.kind == .unavailable)
            #expect(error.message.hasPrefix("cluster store unavailable"))
        }
        #expect(ContinuousClock.now - started < .seconds(15))
        try cluster.start(1)
        try cluster.start(2)
        try cluster.waitHealthy(timeout: 30)
        var committed = false
        for _ in 0..<50 where !committed {
            if case .committed = try? await store.commit(
                RefStoreContract.transaction([RefChange(ref: "refs/heads/main", old: RefStoreContract.a, new: RefStoreContract.b)]
                ))
            {
                committed = true
            } else if (try? await store.snapshot(repo: "demo").refs) == ["refs/heads/main": RefStoreContract.b] {
                // An attempt whose answer was lost while the members came back may have committed: the store says.
                committed = true
            } else {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        #expect(committed)
        #expect(try await store.snapshot(repo: "demo").refs == ["refs/heads/main": RefStoreContract.b])
    }

    @Test("the leader killed during 60 commits: no divergence, every failure a clean refusal")
    func leaderKilled() async throws {
        let cluster = try EtcdCluster()
        defer { cluster.stop() }
        let store = EtcdRefStore(client: try Self.client(cluster, timeout: .seconds(3)))
        var tip: String? = nil
        var refused = 0
        for i in 0..<60 {
            if i == 20, let leader = cluster.leader() { cluster.kill(leader) }
            let new = String(repeating: "0", count: 32) + RefStoreContract.format8(i + 1)
            do {
                switch try await store.commit(
                    RefStoreContract.transaction([RefChange(ref: "refs/heads/main", old: tip, new: new)]))
                {
                case .committed, .alreadyInStore: tip = new
                case .conflict(_, let value): Issue.record("conflict with a single writer: \(String(describing: value))")
                }
            } catch let error as ClusterStoreError {
                #expect(error.kind == .unavailable)
                refused += 1
                // A refusal may hide a commit that went through: the next commit's plan sees it.
                tip = try? await store.snapshot(repo: "demo").refs["refs/heads/main"] ?? tip
            }
        }
        #expect(refused < 60)
        let snapshot = try await store.snapshot(repo: "demo")
        #expect(snapshot.refs["refs/heads/main"] == tip)
        #expect(snapshot.checksum == ReplicaChecksum(refs: snapshot.refs))
    }
}
