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

        @Flag(help: "Print the status as JSON.")
        var json = false

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
                let report = try await ClusterStatusReport.gather(store: store, replicas: config.clusterReplicas)
                say(json ? try report.json() : report.text)
            } catch let error as ClusterStoreError {
                throw HostError(.io, error.message)
            }
        }
    }
}
