import Testing

@testable import DehubCluster

/// What every `RefStore` must do, run against the in-memory store and against real etcd.
enum RefStoreContract {
    static let a = String(repeating: "a", count: 40), b = String(repeating: "b", count: 40)
    static let c = String(repeating: "c", count: 40)

    static func transaction(_ changes: [RefChange], repo: String = "demo", writer: String = "n1") -> RefTransaction {
        RefTransaction(repo: repo, changes: changes, writer: writer, role: "member")
    }

    static func run(_ store: any RefStore) async throws {
        // Create, then move with the right old value.
        let create = transaction([RefChange(ref: "refs/heads/main", old: nil, new: a)])
        guard case .committed = try await store.commit(create) else { Issue.record("create not committed"); return }
        #expect(try await store.commit(create) == .alreadyInStore(revision: try await store.revision()))
        let move = transaction([RefChange(ref: "refs/heads/main", old: a, new: b)])
        guard case .committed(let moved) = try await store.commit(move) else { Issue.record("move not committed"); return }
        // A stale old value conflicts and names what the store holds.
        let stale = transaction([RefChange(ref: "refs/heads/main", old: a, new: c)], writer: "n2")
        #expect(try await store.commit(stale) == .conflict(ref: "refs/heads/main", storeValue: b))
        // A creation of a ref that exists conflicts.
        let again = transaction([RefChange(ref: "refs/heads/main", old: nil, new: c)])
        #expect(try await store.commit(again) == .conflict(ref: "refs/heads/main", storeValue: b))
        // Several refs at once: all or nothing.
        let two = transaction([
            RefChange(ref: "refs/heads/idea", old: nil, new: c), RefChange(ref: "refs/heads/main", old: a, new: c),
        ])
        #expect(try await store.commit(two) == .conflict(ref: "refs/heads/main", storeValue: b))
        var snapshot = try await store.snapshot(repo: "demo")
        #expect(snapshot.refs == ["refs/heads/main": b])
        #expect(snapshot.revision >= moved)
        #expect(snapshot.lastTransaction == move)
        let both = transaction([
            RefChange(ref: "refs/heads/idea", old: nil, new: c), RefChange(ref: "refs/heads/main", old: b, new: a),
        ])
        guard case .committed = try await store.commit(both) else { Issue.record("two refs not committed"); return }
        // Deletion.
        let delete = transaction([RefChange(ref: "refs/heads/idea", old: c, new: nil)])
        guard case .committed = try await store.commit(delete) else { Issue.record("delete not committed"); return }
        snapshot = try await store.snapshot(repo: "demo")
        #expect(snapshot.refs == ["refs/heads/main": a])
        #expect(snapshot.checksum == ReplicaChecksum(refs: snapshot.refs))
        // Another repo is separate, even one whose name extends this one's.
        guard
            case .committed = try await store.commit(
                transaction([RefChange(ref: "refs/heads/main", old: nil, new: c)], repo: "demo/sub"))
        else { Issue.record("other repo not committed"); return }
        #expect(try await store.snapshot(repo: "demo").refs == ["refs/heads/main": a])
        #expect(try await store.snapshot(repo: "demo/sub").refs == ["refs/heads/main": c])
        #expect(try await store.snapshot(repo: "none").refs.isEmpty)

        // Repos: the first record wins.
        #expect(try await store.addRepo(RepoRecord(name: "demo", isPrivate: false)) == RepoRecord(name: "demo", isPrivate: false))
        #expect(try await store.addRepo(RepoRecord(name: "demo", isPrivate: true)) == RepoRecord(name: "demo", isPrivate: false))
        #expect(try await store.repos() == [RepoRecord(name: "demo", isPrivate: false)])

        // Replicas and nodes.
        let state = ReplicaState(repo: "demo", node: "n1", revision: 7, checksum: snapshot.checksum.description, status: .serving)
        try await store.publish(state)
        #expect(try await store.replicas() == [state])
        let lease = try await store.register(NodeRecord(id: "n1", advertise: "http://127.0.0.1:1"), ttlSeconds: 30)
        #expect(try await store.nodes() == [NodeRecord(id: "n1", advertise: "http://127.0.0.1:1")])
        try await store.keepAlive(lease: lease)
        try await store.revoke(lease: lease)
        #expect(try await store.nodes().isEmpty)
        await #expect(throws: ClusterStoreError.self) { try await store.keepAlive(lease: lease) }

        // Malformed transactions never reach the store.
        await #expect(throws: RefTransaction.Problem.self) {
            try await store.commit(transaction([RefChange(ref: "main", old: nil, new: a)]))
        }
    }

    /// Concurrent commits of different new values over the same old value: exactly one wins each round.
    static func races(_ store: any RefStore, rounds: Int) async throws {
        var tip: String? = nil
        for round in 0..<rounds {
            let candidates = (0..<3).map { writer in
                String(repeating: "0", count: 32) + String(format8(round * 3 + writer + 1))
            }
            let results = try await withThrowingTaskGroup(of: (String, RefCommitResult).self) { group in
                for (writer, new) in candidates.enumerated() {
                    group.addTask {
                        let t = transaction(
                            [RefChange(ref: "refs/heads/main", old: tip, new: new)], repo: "race", writer: "n\(writer)")
                        return (new, try await store.commit(t))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let winners = results.filter { if case .committed = $0.1 { return true } else { return false } }
            #expect(winners.count == 1, "round \(round): \(results)")
            tip = winners.first?.0
            #expect(try await store.snapshot(repo: "race").refs["refs/heads/main"] == tip)
        }
    }

    static func format8(_ n: Int) -> String {
        let digits = String(n, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

@Suite("In-memory ref store")
struct InMemoryRefStoreTests {
    @Test("the ref store contract")
    func contract() async throws {
        try await RefStoreContract.run(InMemoryRefStore())
    }

    @Test("concurrent commits: one winner a round")
    func races() async throws {
        try await RefStoreContract.races(InMemoryRefStore(), rounds: 20)
    }

    @Test("switched off, every call is 'cluster store unavailable'")
    func unavailable() async throws {
        let store = InMemoryRefStore()
        store.unavailable = true
        do {
            _ = try await store.snapshot(repo: "demo")
            Issue.record("no error")
        } catch let error as ClusterStoreError {
            #expect(error.kind == .unavailable)
            #expect(error.message.hasPrefix("cluster store unavailable"))
        }
    }

    @Test("watchers see commits, repo records, replicas and nodes")
    func changes() async throws {
        let store = InMemoryRefStore()
        let stream = store.changes(after: try await store.revision())
        var iterator = stream.makeAsyncIterator()
        _ = try await store.commit(
            RefStoreContract.transaction([RefChange(ref: "refs/heads/main", old: nil, new: RefStoreContract.a)]))
        #expect(try await iterator.next()?.repos == ["demo"])
        _ = try await store.register(NodeRecord(id: "n1", advertise: "http://h:1"), ttlSeconds: 5)
        #expect(try await iterator.next()?.nodes == true)
    }
}
