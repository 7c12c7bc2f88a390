import Testing

@testable import DehubHost

@Suite("Access policy for a cluster node replicating: reads every repo, never pushes or administers")
struct ClusterNodeAccessPolicyTests {
    @Test("a replication token sees private repos and is refused pushes and admin commands with its own message")
    func policy() {
        let repo = RepoFacts(exists: true, isPrivate: true)
        #expect(AccessPolicy.decideRead(.clusterNode, repo) == .allow)
        #expect(AccessPolicy.decideRead(.clusterNode, .missing) == .deny(.notFound))
        for transport in Transport.allCases {
            #expect(
                AccessPolicy.decidePush(.clusterNode, repo, transport: transport, policy: .open) == .deny(.clusterNodeReadsOnly))
        }
        #expect(AccessPolicy.decideAdministration(.clusterNode) == .deny(.adminOnly))
        #expect(
            AccessDenial.clusterNodeReadsOnly.message
                == "a cluster node's replication token only reads: pushes come from users, through any node")
    }
}
