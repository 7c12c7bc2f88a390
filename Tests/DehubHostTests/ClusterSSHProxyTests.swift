import DehubCluster
import DehubTestSupport
import Foundation
import Testing

extension ClusterSuites {
    /// SSH through any node (docs/cluster.md, "SSH through any node"): a git session over SSH to a node outside the
    /// repo's replica set runs on a replica, through a tunnel under the node identity, with the client's own rules.
    @Suite("Cluster SSH proxying: clone, fetch and push over SSH through a node that holds no copy")
    struct ClusterSSHProxyTests {
        @Test(
            "the real ssh and git against a node without the repo: the owner clones and pushes, a refused push and a stranger are refused"
        )
        func sshThroughANodeWithoutTheRepo() throws {
            let world = try ClusterWorld(config: "cluster_replicas: 2\n")
            defer { world.stop() }
            let (repo, replicas, proxy) = try ClusterIdentityTests.privateRepo()
            try world.expectOK(world.nodes[0].ssh(["repo", "create", repo, "--private"], key: world.admin))
            try world.expectOK(world.push(["main"], over: world.nodes[0].sshURL(repo), key: world.admin))
            let s = world.scenario, team = world.team
            let main = try s.git("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)
            let other = replicas.first { $0 != 0 }!
            try world.wait("node \(other) holds the private repo", timeout: 30) {
                (try? world.nodes[other].git(["--git-dir", world.repoPath(other, repo), "rev-parse", "main"]).stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines)) == main
            }
            let node = world.nodes[proxy]
            // A clone (protocol v2) over SSH through the node outside the replica set.
            let clone = node.root + "/ssh-clone"
            try world.expectOK(node.git(["clone", "-q", node.sshURL(repo), clone], key: world.admin))
            #expect(try node.git(["-C", clone, "rev-parse", "HEAD"]).stdout.hasPrefix(main))
            #expect(!FileManager.default.fileExists(atPath: world.repoPath(proxy, repo)), "node \(proxy) holds no copy")
            // A signed push through it lands in the store and on both replicas.
            let tip = try s.landOnMain("Add notes", files: ["notes.txt": "one\n"], author: team.a, reviewers: [team.b])
            let pushed = try node.git(["push", "-q", node.sshURL(repo), "main"], key: world.admin, in: s.work)
            #expect(pushed.status == 0, "\(pushed.output)")
            #expect(try world.storeRefs(repo)["refs/heads/main"] == tip)
            for i in replicas {
                try world.wait("node \(i) holds the push", timeout: 30) {
                    (try? world.nodes[i].git(["--git-dir", world.repoPath(i, repo), "rev-parse", "main"]).stdout
                        .trimmingCharacters(in: .whitespacesAndNewlines)) == tip
                }
            }
            // A fetch through it sees the new tip.
            try world.expectOK(node.git(["-C", clone, "fetch", "-q", "origin"], key: world.admin))
            #expect(try node.git(["-C", clone, "rev-parse", "origin/main"]).stdout.hasPrefix(tip))
            // An unsigned commit is refused by the replica's hook, and its message reaches the client.
            try s.write("README.md", "unsigned\n")
            try s.git("add", "-A")
            try s.git("commit", "-q", "-m", "Unsigned change")
            let refused = try node.git(["push", node.sshURL(repo), "main"], key: world.admin, in: s.work)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("dehub"), "\(refused.output)")
            #expect(try world.storeRefs(repo)["refs/heads/main"] == tip)
            // A stranger known to this node (by a token) is told the repo is not there, as on a replica.
            let stranger = try node.makeKey("stranger")
            _ = try EndToEnd.HTTPAuthenticatedPrefixTests.token(node, name: "stranger", key: stranger)
            let strangerClone = try node.git(["ls-remote", node.sshURL(repo)], key: stranger)
            #expect(strangerClone.status != 0)
            #expect(strangerClone.stderr.contains("repository not found"), "\(strangerClone.output)")
            #expect(!strangerClone.stdout.contains(tip))
        }

        @Test(
            "a client that goes silent after the advertisement, or is dropped mid-session, through a node without the repo leaves no git running anywhere; the next client is served at once"
        )
        func misbehavingClientThroughTheTunnel() throws {
            let world = try ClusterWorld(config: "cluster_replicas: 2\n")
            defer { world.stop() }
            let (repo, replicas, proxy) = try ClusterIdentityTests.privateRepo()
            try world.expectOK(world.nodes[0].ssh(["repo", "create", repo, "--private"], key: world.admin))
            try world.expectOK(world.push(["main"], over: world.nodes[0].sshURL(repo), key: world.admin))
            let main = try world.scenario.git("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)
            for i in replicas {
                try world.wait("node \(i) holds the repo", timeout: 30) {
                    (try? world.nodes[i].git(["--git-dir", world.repoPath(i, repo), "rev-parse", "main"]).stdout
                        .trimmingCharacters(in: .whitespacesAndNewlines)) == main
                }
            }
            let node = world.nodes[proxy]
            let session = node.sshCommand(key: world.admin) + " git@127.0.0.1 \"git-upload-pack '\(repo).git'\""
            // Silent: stdin held open and never written, so upload-pack waits for wants after its advertisement; the
            // client is killed after 3 s (the runner kills its whole group). Then one that sends half a pkt-line.
            for client in ["sleep 60 | \(session)", "(printf '0032want '; sleep 60) | \(session)"] {
                let dropped = try HostCommandRunner.run(["sh", "-c", client], environment: node.environment, timeout: 3)
                #expect(dropped.stdout.contains(main), "the advertisement came through the tunnel: \(dropped.output)")
                for i in 0..<3 {
                    let left = EndToEnd.ProcessLifecycleTests.waitUntilNoGit(under: world.nodes[i].data)
                    #expect(left.isEmpty, "node \(i): git processes left: \(left)")
                }
                let clone = node.root + "/after-\(client.count)"
                try world.expectOK(node.git(["clone", "-q", node.sshURL(repo), clone], key: world.admin, timeout: 20))
                #expect(try node.git(["-C", clone, "rev-parse", "HEAD"]).stdout.hasPrefix(main))
            }
            for i in replicas {
                let fsck = try world.nodes[i].git([
                    "--git-dir", world.repoPath(i, repo), "fsck", "--no-progress", "--no-dangling",
                ])
                #expect(fsck.status == 0, "node \(i): \(fsck.output)")
            }
        }
    }
}
