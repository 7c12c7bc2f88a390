import DehubCluster
import DehubTestSupport
import Foundation
import Testing

extension ClusterSuites {
    /// Replicas judge every update with the hook's engine in their own process, and their watchers see what they apply.
    @Suite("Cluster verdicts: each replica's own engine decides, and its watchers see what it applied")
    struct ClusterVerdictTests {
        /// The attack: a writer node is compromised (or buggy) and commits to the store a move of main to an unsigned
        /// commit its copy holds. The store is the cluster's agreement, not its judge: every other replica fetches the
        /// commit, its own engine refuses it, so it never applies it, raises the alarm and stops serving the repo.
        @Test("a replica whose engine refuses what the store holds keeps its copy, raises the alarm and stops serving")
        func engineRefusesTheStore() async throws {
            let world = try ClusterWorld()
            defer { world.stop() }
            try world.waitConverged()
            let main = try world.localRef(0)
            // An unsigned commit on main, written as a bare object into every copy (no ref moves, so no node's scan
            // has anything to repair before the store holds it, and no replica depends on a fetch to see it).
            let dates = ["GIT_AUTHOR_DATE": "1700000000 +0000", "GIT_COMMITTER_DATE": "1700000000 +0000"]
            var forgedIDs: Set<String> = []
            for i in 0..<3 {
                let path = world.repoPath(i)
                let tree = try world.nodes[i].git(["--git-dir", path, "rev-parse", "main^{tree}"]).stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let made = try world.nodes[i].git(
                    ["--git-dir", path, "commit-tree", tree, "-p", main, "-m", "forged"], extraEnvironment: dates
                ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                forgedIDs.insert(made)
            }
            guard forgedIDs.count == 1, let forged = forgedIDs.first else {
                throw HostTestError("the forged commit differs between copies: \(forgedIDs)")
            }
            // ... and the move committed to the store as node 0 would, claiming an admin pushed it.
            let client = EtcdClient(endpoints: EtcdEndpoints(urls: world.etcd.endpoints.split(separator: ",").map(String.init)))
            let store = EtcdRefStore(client: client, keys: ClusterKeys(prefix: world.prefix))
            let result = try await store.commit(
                RefTransaction(
                    repo: "project", changes: [RefChange(ref: "refs/heads/main", old: main, new: forged)], writer: "n0",
                    role: "admin"))
            guard case .committed = result else { throw HostTestError("the forged commit did not reach the store: \(result)") }

            try world.wait("nodes 1 and 2 raise the alarm", timeout: 30) {
                let replicas = try world.storeKeys("/replicas/")
                return [1, 2].allSatisfy { replicas["project:n\($0)"]?.contains("\"alarm\"") == true }
            }
            let replicas = try world.storeKeys("/replicas/")
            for i in [1, 2] {
                #expect(try world.localRef(i) == main, "node \(i) applied what its engine refused")
                #expect(replicas["project:n\(i)"]?.contains("forged") == true, "node \(i): \(replicas)")
            }
            let status = try world.expectOK(world.nodes[1].ssh(["cluster", "status"], key: world.admin))
            #expect(status.stdout.contains("alarm"), "\(status.stdout)")
            try world.expectClean()
        }

        @Test("a watcher of node 2 sees a push to node 0 once node 2 applied it")
        func watcherOfAReplicaSeesThePush() throws {
            let world = try ClusterWorld()
            defer { world.stop() }
            try world.waitConverged()
            let node = world.nodes[2]
            let folder = node.root + "/watcher"
            _ = try node.git(["init", "-q", "-b", "main", folder])
            _ = try node.git(["-C", folder, "remote", "add", "origin", node.httpURL("project")])
            let watcher = try WatchTestClient(in: folder, remotes: ["origin"], environment: node.environment)
            defer { watcher.stop() }
            #expect(
                watcher.waitForLine(timeout: 30) { $0 == "STATUS origin connected" } != nil,
                "\(watcher.lines) \(watcher.stderr)")
            let seen = watcher.lines.count
            let s = world.scenario, team = world.team
            let tip = try s.landOnMain("Add notes", files: ["notes.txt": "one\n"], author: team.a, reviewers: [team.b])
            try world.expectOK(world.push(["main"], over: world.nodes[0].httpURL("project")))
            let line = watcher.waitForLine(after: seen, timeout: 15) { $0.hasPrefix("CHANGED") }
            #expect(line == "CHANGED origin refs/heads/main", "\(watcher.lines) \(watcher.stderr)")
            #expect(try world.localRef(2) == tip)
        }
    }
}
