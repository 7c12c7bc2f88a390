import DehubCluster
import Foundation

/// `cluster status` (text, or `--json`): the live nodes (with a flag on those whose access config differs from the
/// others'), the repos, and each replica's state and checksum, as the store holds them.
struct ClusterStatusReport: Codable, Equatable, Sendable {
    struct Node: Codable, Equatable, Sendable {
        var id: String
        var advertise: String
        /// The node's published `AccessDigest`; nil for a node too old to publish one.
        var access: String?
        /// The parts of its access config that differ from the most common one (`admins`, `tokens`, ...).
        var accessDiffers: [String]
    }

    struct Replica: Codable, Equatable, Sendable {
        var node: String
        var status: String
        var revision: Int64
        var inStep: Bool
        var nodeDown: Bool
        var detail: String
    }

    struct Repo: Codable, Equatable, Sendable {
        var name: String
        var isPrivate: Bool
        var checksum: String
        var replicaSet: [String]
        var replicas: [Replica]
    }

    var nodes: [Node]
    var repos: [Repo]

    /// Whether every live node publishes the same access config.
    var accessAgrees: Bool { nodes.allSatisfy { $0.accessDiffers.isEmpty } }

    static func gather(store: any RefStore, replicas: Int) async throws -> ClusterStatusReport {
        let records = try await store.nodes()
        let states = try await store.replicas()
        let nodes = flagAccess(records)
        var repos: [Repo] = []
        for record in try await store.repos() {
            let snapshot = try await store.snapshot(repo: record.name)
            let set = ReplicaSet.choose(repo: record.name, nodes: records.map(\.id), count: replicas)
            let replicas = states.filter { $0.repo == record.name }.map { state in
                Replica(
                    node: state.node, status: state.status.rawValue, revision: state.revision,
                    inStep: state.checksum == snapshot.checksum.description,
                    nodeDown: !records.contains { $0.id == state.node }, detail: state.detail)
            }
            repos.append(
                Repo(
                    name: record.name, isPrivate: record.isPrivate, checksum: snapshot.checksum.description, replicaSet: set,
                    replicas: replicas))
        }
        return ClusterStatusReport(nodes: nodes, repos: repos)
    }

    /// Each node with the parts of its access config that differ from the most common digest (ties: the one of the
    /// first node by id). A node that publishes none differs in `access` itself.
    static func flagAccess(_ records: [NodeRecord]) -> [Node] {
        let sorted = records.sorted { $0.id < $1.id }
        var counts: [String: Int] = [:]
        for record in sorted { if let access = record.access { counts[access, default: 0] += 1 } }
        let top = counts.values.max() ?? 0
        let reference = sorted.compactMap(\.access).first { counts[$0] == top }.flatMap(AccessDigest.init(published:))
        return sorted.map { record in
            var differs: [String] = []
            if let reference {
                if let mine = record.access.flatMap(AccessDigest.init(published:)) {
                    differs = mine.differences(from: reference)
                } else {
                    differs = ["access (not published)"]
                }
            }
            return Node(id: record.id, advertise: record.advertise, access: record.access, accessDiffers: differs)
        }
    }

    /// The text for people.
    var text: String {
        var lines = ["nodes: \(nodes.count) live"]
        for node in nodes {
            var line = "  \(node.id)  \(node.advertise)"
            if !node.accessDiffers.isEmpty { line += "  ACCESS DIFFERS: \(node.accessDiffers.joined(separator: ", "))" }
            lines.append(line)
        }
        if !accessAgrees {
            lines.append(
                "access: the nodes do not apply the same admins, tokens, readers or push policy; copy them to every node (docs/cluster.md)"
            )
        }
        lines.append("repos: \(repos.count)")
        for repo in repos {
            lines.append(
                "  \(repo.name)\(repo.isPrivate ? " (private)" : "")  checksum \(repo.checksum)  replica set: \(repo.replicaSet.joined(separator: ", "))"
            )
            for replica in repo.replicas {
                var line =
                    "    \(replica.node): \(replica.status), revision \(replica.revision), checksum \(replica.inStep ? "in step" : "differs")\(replica.nodeDown ? " (node down)" : "")"
                if !replica.detail.isEmpty { line += ": \(replica.detail)" }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        struct Document: Encodable {
            var accessAgrees: Bool
            var nodes: [Node]
            var repos: [Repo]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(
            decoding: try encoder.encode(Document(accessAgrees: accessAgrees, nodes: nodes, repos: repos)), as: UTF8.self)
    }

    /// The text, as `cluster status` over SSH prints it.
    static func text(store: any RefStore, replicas: Int) async throws -> String {
        try await gather(store: store, replicas: replicas).text
    }
}
