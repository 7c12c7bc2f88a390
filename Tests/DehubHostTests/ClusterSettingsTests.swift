import DehubHost
import Foundation
import Testing

@Suite("Cluster settings: flags over the host config; a single host without them")
struct ClusterSettingsTests {
    @Test("no etcd: a single host; node id or advertise alone is a usage error")
    func single() throws {
        #expect(try ClusterSettings.resolve(etcd: nil, nodeID: nil, advertise: nil, config: HostConfig()) == nil)
        #expect(throws: HostError.self) {
            try ClusterSettings.resolve(etcd: nil, nodeID: "n1", advertise: nil, config: HostConfig())
        }
    }

    @Test("flags win over the host config, whose keys parse")
    func config() throws {
        let secret = try ClusterWorld.makeSecretFile()
        defer { try? FileManager.default.removeItem(atPath: secret) }
        let text = """
            cluster_etcd: http://127.0.0.1:2379,http://127.0.0.1:22379
            cluster_node_id: node1
            cluster_advertise: http://10.0.0.1:8080/
            cluster_replicas: 2
            cluster_secret_file: \(secret)
            """
        let config = try HostConfig.parse(text).get()
        let fromConfig = try #require(try ClusterSettings.resolve(etcd: nil, nodeID: nil, advertise: nil, config: config))
        #expect(fromConfig.endpoints.urls == ["http://127.0.0.1:2379", "http://127.0.0.1:22379"])
        #expect(fromConfig.nodeID == "node1")
        #expect(fromConfig.advertise == "http://10.0.0.1:8080")
        #expect(fromConfig.replicas == 2)
        let fromFlags = try #require(
            try ClusterSettings.resolve(etcd: "http://h:1", nodeID: "n2", advertise: "http://h:2", config: config))
        #expect(fromFlags.endpoints.urls == ["http://h:1"])
        #expect(fromFlags.nodeID == "n2")
        #expect(fromFlags.advertise == "http://h:2")
        // The advertise URL may be left out: the node uses its HTTP listen address.
        #expect(
            try ClusterSettings.resolve(
                etcd: "http://h:1", nodeID: "n2", advertise: nil, secretFile: secret, config: HostConfig())?
                .advertise == "")
    }

    @Test(
        "bad values are refused with the flag named",
        arguments: [
            ("ftp://h:1", "n1", "http://h:2", "--cluster-etcd"),
            ("http://h:1", "", "http://h:2", "--node-id"),
            ("http://h:1", "Node 1", "http://h:2", "--node-id"),
            ("http://h:1", "n1", "h:2", "--advertise"),
        ])
    func bad(etcd: String, node: String, advertise: String, flag: String) {
        do {
            _ = try ClusterSettings.resolve(etcd: etcd, nodeID: node, advertise: advertise, config: HostConfig())
            Issue.record("accepted")
        } catch let error as HostError {
            #expect(error.kind == .usage)
            #expect(
                error.message.contains(flag) || (flag == "--node-id" && error.message.contains("node id")), "\(error.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("cluster_replicas must be a positive integer")
    func replicas() {
        guard case .failure(let error) = HostConfig.parse("cluster_replicas: 0") else {
            Issue.record("accepted")
            return
        }
        #expect(error.message == "host config line 1: cluster_replicas must be a positive integer (at most 100)")
    }
}
