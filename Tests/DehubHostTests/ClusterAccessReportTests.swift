import DehubCluster
import Testing

@testable import DehubHost

/// Pure: which nodes `cluster status` flags for their access config.
@Suite("Cluster status: access digests compared with the most common one")
struct ClusterAccessReportTests {
    static let a = "admins=aaaaaaaaaaaa tokens=bbbbbbbbbbbb readers=cccccccccccc push=open"
    static let b = "admins=aaaaaaaaaaaa tokens=dddddddddddd readers=cccccccccccc push=members"

    @Test("the odd node out is flagged by part; equal digests flag nobody; a node without one is flagged")
    func flags() {
        let nodes = [
            NodeRecord(id: "n0", advertise: "u0", access: Self.a), NodeRecord(id: "n1", advertise: "u1", access: Self.b),
            NodeRecord(id: "n2", advertise: "u2", access: Self.a), NodeRecord(id: "n3", advertise: "u3"),
        ]
        let flagged = ClusterStatusReport.flagAccess(nodes)
        #expect(flagged.map(\.accessDiffers) == [[], ["tokens", "push policy"], [], ["access (not published)"]])
        #expect(ClusterStatusReport.flagAccess(Array(nodes.prefix(1)) + [nodes[2]]).allSatisfy { $0.accessDiffers.isEmpty })
        // A tie: the first node's digest is the reference.
        #expect(ClusterStatusReport.flagAccess(Array(nodes.prefix(2))).map(\.accessDiffers) == [[], ["tokens", "push policy"]])
        #expect(ClusterStatusReport.flagAccess([]).isEmpty)
    }

    @Test("a digest reads back from its published form; anything else is not one")
    func digestForm() {
        #expect(AccessDigest(published: Self.a)?.description == Self.a)
        for bad in ["", "admins=x", "admins=1 tokens=2 readers=3 push=open extra=4", "admins tokens readers push"] {
            #expect(AccessDigest(published: bad) == nil, "\(bad)")
        }
        #expect(AccessDigest.hash([]).count == 12)
        #expect(AccessDigest.hash(["b", "a"]) == AccessDigest.hash(["a", "b"]))
    }
}
