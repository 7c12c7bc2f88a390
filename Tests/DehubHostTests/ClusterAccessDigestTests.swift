import DehubTestSupport
import Foundation
import Testing

extension ClusterSuites {
    /// Admins, tokens and readers stay per node; each node publishes a digest, and `cluster status` flags a node whose
    /// digest differs from the others'.
    @Suite("Cluster access digests: cluster status flags a node whose admins or tokens differ")
    struct ClusterAccessDigestTests {
        func status(_ world: ClusterWorld, json: Bool) throws -> HostCommandResult {
            try HostCommandRunner.run(
                [
                    HostTestServer.binary(), "cluster", "status", "--data", world.nodes[0].data, "--cluster-etcd",
                    world.etcd.endpoints, "--cluster-prefix", world.prefix,
                ] + (json ? ["--json"] : []), environment: world.nodes[0].environment, timeout: 60)
        }

        @Test("equal access config: no flag; a token added on one node: that node flagged, by part, in text and JSON")
        func flagged() throws {
            let world = try ClusterWorld()
            defer { world.stop() }
            try world.waitConverged()
            let agreed = try world.expectOK(status(world, json: true)).stdout
            let first = try #require(try JSONSerialization.jsonObject(with: Data(agreed.utf8)) as? [String: Any])
            #expect(first["access_agrees"] as? Bool == true, "\(agreed)")
            #expect(agreed.contains("admins="), "\(agreed)")
            _ = try EndToEnd.HTTPAuthenticatedPrefixTests.token(world.nodes[2], name: "ci", key: world.admin)
            try world.wait("node n2's new digest in the store", timeout: 20) {
                try status(world, json: false).stdout.contains(
                    "n2  http://127.0.0.1:\(world.nodes[2].httpPort)  ACCESS DIFFERS: tokens")
            }
            let text = try world.expectOK(status(world, json: false)).stdout
            #expect(text.contains("access: the nodes do not apply the same admins, tokens, readers or push policy"), "\(text)")
            #expect(!text.contains("n0  http://127.0.0.1:\(world.nodes[0].httpPort)  ACCESS"), "\(text)")
            let json = try world.expectOK(status(world, json: true)).stdout
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(document["access_agrees"] as? Bool == false, "\(json)")
            let nodes = document["nodes"] as? [[String: Any]] ?? []
            let flags = Dictionary(
                uniqueKeysWithValues: nodes.map { ($0["id"] as? String ?? "", $0["access_differs"] as? [String] ?? []) })
            #expect(flags == ["n0": [], "n1": [], "n2": ["tokens"]], "\(json)")
        }
    }
}
