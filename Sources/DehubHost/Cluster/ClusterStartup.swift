import DehubCluster
import Foundation
import Logging
import ServiceLifecycle

/// The flags of `serve` that make a cluster node; each overrides its key in the host config.
public struct ClusterFlags: Equatable, Sendable {
    public var etcd: String?
    public var nodeID: String?
    public var advertise: String?
    public var secretFile: String?
    /// Tests only: the etcd key prefix, so that several clusters can share one etcd.
    public var prefix: String?
    /// Tests only: `ClusterFault`.
    public var testFault: ClusterFault?

    public init(
        etcd: String? = nil, nodeID: String? = nil, advertise: String? = nil, prefix: String? = nil,
        testFault: ClusterFault? = nil, secretFile: String? = nil
    ) {
        self.secretFile = secretFile
        self.testFault = testFault
        self.etcd = etcd
        self.nodeID = nodeID
        self.advertise = advertise
        self.prefix = prefix
    }
}

/// How `serve` starts cluster mode, or makes sure a single host has none of it.
enum ClusterStartup {
    /// The settings (nil: a single host). Marks the data directory as a cluster node's, or unmarks it, before the
    /// repos are guarded, so each gets the right hooks.
    static func prepare(flags: ClusterFlags, config: HostConfig, data: DataDirectory) throws -> ClusterSettings? {
        var settings = try ClusterSettings.resolve(
            etcd: flags.etcd, nodeID: flags.nodeID, advertise: flags.advertise, secretFile: flags.secretFile, config: config)
        guard var cluster = settings else {
            if data.isClusterNode { try FileManager.default.removeItem(atPath: data.clusterNodeFile) }
            return nil
        }
        if let prefix = flags.prefix { cluster.prefix = prefix }
        cluster.testFault = flags.testFault
        settings = cluster
        try FileIO.writeAtomically(cluster.nodeID + "\n", to: data.clusterNodeFile, mode: 0o644)
        return settings
    }

    /// At a node's start no git of its own runs: every ref lock and push quarantine left is from a process that died.
    /// Locks go (rolling the ref back to its last value); the sync then rolls it forward to the store's value when
    /// the store holds the update.
    static var sweeper: StaleFileSweeper {
        var sweeper = StaleFileSweeper()
        sweeper.lockAge = -1
        sweeper.quarantineAge = -1
        return sweeper
    }

    static func node(_ settings: ClusterSettings, data: DataDirectory, config: HostConfig, logger: Logger) -> ClusterNode {
        let client = EtcdClient(endpoints: settings.endpoints, timeout: settings.storeTimeout)
        let store = EtcdRefStore(client: client, keys: ClusterKeys(prefix: settings.prefix))
        return ClusterNode(settings: settings, store: store, data: data, config: config, logger: logger)
    }

    static func services(
        _ node: ClusterNode, data: DataDirectory, listening: ListenAddresses, events: RefEventHub, logger: Logger
    ) -> [any Service] {
        [
            ClusterRefSocket(node: node, path: data.clusterSocket, logger: logger),
            ClusterNodeService(node: node, listening: listening, events: events),
        ]
    }
}

/// The node's loops as a service: they run until the host stops.
struct ClusterNodeService: Service {
    let node: ClusterNode
    let listening: ListenAddresses
    /// Where the updates the node applies as a replica are published.
    let events: RefEventHub

    func run() async throws {
        let listening = self.listening
        await node.attach(events: events)
        await cancelWhenGracefulShutdown {
            await node.run(httpAddress: { listening.http })
        }
    }
}
