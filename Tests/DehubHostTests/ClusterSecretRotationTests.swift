import DehubHost
import Foundation
import Testing

@Suite("Cluster secret rotation: cluster_accepted_secret_file is loaded with the same checks")
struct ClusterSecretRotationTests {
    @Test("an accepted secret is loaded; a too open one is refused naming its key")
    func accepted() throws {
        let secret = try ClusterWorld.makeSecretFile()
        let next = try ClusterWorld.makeSecretFile()
        let open = try ClusterWorld.makeSecretFile(mode: 0o644)
        defer { for path in [secret, next, open] { try? FileManager.default.removeItem(atPath: path) } }
        func settings(accepted: String) throws -> ClusterSettings? {
            let config = try HostConfig.parse("cluster_accepted_secret_file: \(accepted)\n").get()
            return try ClusterSettings.resolve(
                etcd: "http://h:1", nodeID: "n1", advertise: nil, secretFile: secret, config: config)
        }
        let loaded = try #require(try settings(accepted: next))
        #expect(loaded.acceptedSecret != nil)
        #expect(loaded.acceptedSecret != loaded.secret)
        do {
            _ = try settings(accepted: open)
            Issue.record("a too open accepted secret was taken")
        } catch let error as HostError {
            #expect(error.kind == .usage)
            #expect(error.message.hasPrefix("cluster_accepted_secret_file: the cluster secret file"), "\(error.message)")
            #expect(error.message.contains("readable by others"), "\(error.message)")
        }
    }
}
