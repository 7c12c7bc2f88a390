import DehubCluster
import DehubCore
import Foundation

/// Brings one local copy of a repo to the refs the store holds, verifying every move with the node's own engine
/// (`ReplicaVerdict`: the hook's `PushVerifier`, in process) before it is applied:
///
/// 1. the refs that differ;
/// 2. the objects the store's values need, fetched from the writer or a replica that has them (`fetch.fsckObjects`);
/// 3. the verdict (`steps`): when the moves are exactly the store's last transaction, they are judged as that one
///    push, with the writer's pusher role, so both nodes answer the same question; a longer jump (a node catching up,
///    or rebuilt) is judged as the admin who set the root of trust would be, main first (the rules of other branches
///    come from it), then every other ref together, each commit it brings checked against the signature rules;
/// 4. each verified step applied as one `update-ref --stdin` transaction with the old values
///    (`VerifiedRefsPublisher.apply`), refused by git as a whole if a ref moved meanwhile.
struct ReplicaSync {
    enum Outcome: Equatable {
        /// The copy's refs equal the store's; its checksum.
        case inStep(ReplicaChecksum)
        /// A ref is locked (a push is under way here) or moved meanwhile: try again shortly.
        case busy
        /// The objects could not be fetched from any node.
        case fetchFailed(String)
        /// This node's engine refuses what the store holds.
        case refused(String)
    }

    /// Advertise URLs of nodes to fetch from, best first.
    let sources: [String]
    let repoName: String
    /// git's environment for a fetch from a source: the node token (`ClusterNode.fetchEnvironment`).
    var fetchEnvironment: @Sendable (String) -> [String: String] = { _ in [:] }

    /// - Parameter local: the copy's refs, read *before* the snapshot: a push moves a copy's ref only after the
    ///   store took it, so a snapshot read later holds every value the copy shows. (Read the other way round, a push
    ///   landing in between would look like a ref the store does not have, and be deleted.)
    func sync(_ snapshot: RepoSnapshot, into path: String, local: [String: String]) async throws -> Outcome {
        if local == snapshot.refs { return .inStep(snapshot.checksum) }
        let differing = Self.order(
            Set(local.keys).union(snapshot.refs.keys).filter { local[$0] != snapshot.refs[$0] }, store: snapshot.refs)
        for ref in differing where FileManager.default.fileExists(atPath: path + "/" + ref + ".lock") { return .busy }

        var missing: [String] = []
        for ref in differing {
            if let oid = snapshot.refs[ref], !missing.contains(oid), !(try await ClusterGit.hasObject(oid, in: path)) {
                missing.append(oid)
            }
        }
        if !missing.isEmpty {
            var failures: [String] = []
            var fetched = false
            for source in sources where !fetched {
                let output = try await ClusterGit.fetch(
                    missing, from: source + "/" + repoName + ".git", into: path, environment: fetchEnvironment(source))
                if output.succeeded {
                    fetched = true
                } else {
                    failures.append("\(source): \(output.stderr.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))")
                }
            }
            if !fetched { return .fetchFailed(failures.isEmpty ? "no node to fetch from" : failures.joined(separator: "; ")) }
        }

        var expected = local
        for step in Self.steps(local: local, store: snapshot.refs, last: snapshot.lastTransaction) {
            if let reasons = await ReplicaVerdict.judge(step, in: path) {
                // A ref moved here meanwhile (judged from its real value, the update looked stale): not a verdict.
                return LocalRefs.read(path) == expected ? .refused(reasons) : .busy
            }
            guard try await ClusterGit.apply(step.changes, in: path) else { return .busy }
            for change in step.changes { expected[change.ref] = change.new }
        }
        let checksum = LocalRefs.checksum(path)
        return checksum == snapshot.checksum ? .inStep(checksum) : .busy
    }

    /// How the moves from `local` to `store` are judged: as the store's last transaction when they are exactly it,
    /// else as an admin's catch-up, main first.
    static func steps(local: [String: String], store: [String: String], last: RefTransaction?) -> [ReplicaVerdict.Step] {
        let differing = order(Set(local.keys).union(store.keys).filter { local[$0] != store[$0] }, store: store)
        let changes = differing.map { RefChange(ref: $0, old: local[$0], new: store[$0]) }
        guard !changes.isEmpty else { return [] }
        if let last, Set(last.changes) == Set(changes) { return [ReplicaVerdict.Step(changes: last.changes, role: last.role)] }
        let admin = PusherRole.admin.rawValue
        let main = changes.filter { $0.ref == RefUpdate.mainRef }, rest = changes.filter { $0.ref != RefUpdate.mainRef }
        return [main, rest].filter { !$0.isEmpty }.map { ReplicaVerdict.Step(changes: $0, role: admin) }
    }

    /// `refs/heads/main` first, then updates and creations by name, then deletions.
    static func order(_ refs: Set<String>, store: [String: String]) -> [String] {
        refs.sorted { a, b in
            let rankA = a == RefUpdate.mainRef ? 0 : (store[a] == nil ? 2 : 1)
            let rankB = b == RefUpdate.mainRef ? 0 : (store[b] == nil ? 2 : 1)
            return rankA != rankB ? rankA < rankB : a < b
        }
    }
}
