import Testing

@testable import DehubHost

@Suite("Cluster SSH tunnel: the internal endpoint's paths")
struct ClusterTunnelTargetTests {
    @Test("tunnel paths: service and repo name round-trip; other paths are not tunnels")
    func tunnelPaths() {
        let target = ClusterTunnelTarget(service: .receivePack, rawName: "team/project")
        #expect(target.path == "/_dehub/cluster/ssh/git-receive-pack/team/project.git")
        #expect(ClusterTunnelTarget.parse(path: target.path) == target)
        #expect(target.scopeService == "ssh:git-receive-pack")
        for bad in [
            "/_dehub/cluster/ssh/git-upload-pack/.git", "/_dehub/cluster/ssh/git-nothing/x.git", "/_dehub/cluster/ssh/x.git",
            "/project.git/info/refs", "/_dehub/cluster/ssh/git-upload-pack/project",
        ] {
            #expect(ClusterTunnelTarget.parse(path: bad) == nil, "\(bad)")
        }
    }
}
