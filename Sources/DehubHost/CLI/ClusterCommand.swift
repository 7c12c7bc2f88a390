import ArgumentParser
import DehubCluster

/// `dehub-host cluster status`: the cluster as the store sees it (nodes, repos, each replica's state and checksum).
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Cluster mode (docs/cluster.md).", subcommands: [Status.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "List the live nodes, the repos, and each replica's state and checksum.")

        @OptionGroup var data: DataOption

        @Option(name: .customLong("cluster-etcd"), help: "etcd client URLs (default: cluster_etcd in host-config.yml).")
        var clusterEtcd: String?

        @Option(name: .customLong("cluster-prefix"), help: .hidden)
        var clusterPrefix: String?

        func run() async throws {
            let config = try data.directory.loadConfig()
            let text = clusterEtcd ?? config.clusterEtcd
            guard !text.isEmpty else {
                throw HostError(.usage, "not a cluster node: give --cluster-etcd URL or set cluster_etcd in the host config")
            }
            let endpoints: EtcdEndpoints
            switch EtcdEndpoints.parse(text) {
            case .success(let parsed): endpoints = parsed
            case .failure(let problem): throw HostError(.usage, "--cluster-etcd: \(problem)")
            }
            let store = EtcdRefStore(
                client: EtcdClient(endpoints: endpoints), keys: ClusterKeys(prefix: clusterPrefix ?? "/dehub"))
            do {
                say(try await ClusterStatusReport.text(store: store, replicas: config.clusterReplicas))
            } catch let error as ClusterStoreError {
                throw HostError(.io, error.message)
            }
        }
    }
}

/// The text of `cluster status`.
enum ClusterStatusReport {
    static func text(store: any RefStore, replicas: Int) async throws -> String {
        let nodes = try await store.nodes()
        let states = try await store.replicas()
        var lines = ["nodes: \(nodes.count) live"]
        for node in nodes { lines.append("  \(node.id)  \(node.advertise)") }
        let records = try await store.repos()
        lines.append("repos: \(records.count)")
        for record in records {
            let snapshot = try await store.snapshot(repo: record.name)
            let set = ReplicaSet.choose(repo: record.name, nodes: nodes.map(\.id), count: replicas)
            lines.append(
                "  \(record.name)\(record.isPrivate ? " (private)" : "")  checksum \(snapshot.checksum)  replica set: \(set.joined(separator: ", "))"
            )
            for state in states where state.repo == record.name {
                let live = nodes.contains { $0.id == state.node } ? "" : " (node down)"
                let match = state.checksum == snapshot.checksum.description ? "in step" : "differs"
                var line = "    \(state.node): \(state.status.rawValue), revision \(state.revision), checksum \(match)\(live)"
                if !state.detail.isEmpty { line += ": \(state.detail)" }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }
}
