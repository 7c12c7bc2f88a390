import DehubCluster
import Foundation

/// Brings one local copy of a repo to the refs the store holds, verifying every move with the node's own engine
/// (the dehub hook, the same binary and rules a push goes through) before it is applied:
///
/// 1. the refs that differ, `main` first (the rules of other branches come from it), deletions last;
/// 2. the objects the store's values need, fetched from the writer or a replica that has them (`fetch.fsckObjects`);
/// 3. per ref, `dehub hook pre-receive` on `LOCAL STORE REF`. When the store's last transaction is exactly this
///    move, the hook judges it with the writer's pusher role, so both nodes answer the same question; a longer jump
///    (a node catching up, or rebuilt) is judged as the admin who set the root of trust would be, with every commit
///    it brings checked against the signature rules;
/// 4. `update-ref REF STORE LOCAL`, refused by git if the ref moved meanwhile.
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

    let hook: String
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

        for ref in differing {
            let old = local[ref], new = snapshot.refs[ref]
            let change = RefChange(ref: ref, old: old, new: new)
            let role = snapshot.lastTransaction.flatMap { $0.changes.contains(change) ? $0.role : nil } ?? "admin"
            if let reasons = try await ClusterGit.verify(ref: ref, old: old, new: new, role: role, hook: hook, in: path) {
                return .refused("\(ref): \(reasons)")
            }
            let moved = try await ClusterGit.updateRef(ref, old: old, new: new, in: path)
            if !moved.succeeded { return .busy }
        }
        let checksum = LocalRefs.checksum(path)
        return checksum == snapshot.checksum ? .inStep(checksum) : .busy
    }

    /// `refs/heads/main` first, then updates and creations by name, then deletions.
    static func order(_ refs: Set<String>, store: [String: String]) -> [String] {
        refs.sorted { a, b in
            let rankA = a == "refs/heads/main" ? 0 : (store[a] == nil ? 2 : 1)
            let rankB = b == "refs/heads/main" ? 0 : (store[b] == nil ? 2 : 1)
            return rankA != rankB ? rankA < rankB : a < b
        }
    }
}
