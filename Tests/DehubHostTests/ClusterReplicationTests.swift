import DehubTestSupport
import Foundation
import Testing

extension ClusterSuites {
    /// Three nodes over a real etcd: pushes, refusals, races, repairs, a node joining, a store without quorum.
    @Suite("Cluster replication: three dehub-host nodes agree through etcd and each verifies what it takes")
    struct ClusterReplicationTests {
        @Test("a signed push to node 0 is served by nodes 1 and 2; every copy equals the store, fsck clean, no locks")
        func pushReplicates() throws {
            let world = try ClusterWorld()
            defer { world.stop() }
            try world.waitConverged()
            let s = world.scenario, team = world.team
            let tip = try s.landOnMain("Add notes", files: ["notes.txt": "one\n"], author: team.a, reviewers: [team.b])
            try world.expectOK(world.push(["main"], over: world.nodes[0].httpURL("project")))
            let started = Date()
            try world.wait("nodes 1 and 2 hold the push", timeout: 10) {
                try world.localRef(1) == tip && world.localRef(2) == tip
            }
            let seconds = Date().timeIntervalSince(started)
            print("cluster: replicas served the push after \(String(format: "%.3f", seconds)) s")
            #expect(try world.storeRefs()["refs/heads/main"] == tip)
            try world.waitConverged()
            try world.expectClean()
            // Every node serves it to a client, over HTTP and SSH.
            for i in world.nodes.indices {
                let heads = try world.nodes[i].git(["ls-remote", world.nodes[i].httpURL("project"), "main"]).stdout
                #expect(heads.hasPrefix(tip), "node \(i): \(heads)")
            }
            // An admin asks any node over SSH how the cluster stands.
            let status = try world.expectOK(world.nodes[1].ssh(["cluster", "status"], key: world.admin))
            #expect(status.stdout.contains("nodes: 3 live"), "\(status.stdout)")
            #expect(status.stdout.contains("project"), "\(status.stdout)")
            #expect(status.stdout.contains("in step"), "\(status.stdout)")
        }

        @Test("a refused push changes nothing anywhere; a local git update-ref that did not come through the host is refused")
        func refusedChangesNothing() throws {
            let world = try ClusterWorld()
            defer { world.stop() }
            try world.waitConverged()
            let before = try world.storeRefs()
            let s = world.scenario
            try s.write("README.md", "unsigned\n")
            try s.git("add", "-A")
            try s.git("commit", "-q", "-m", "Unsigned change")
            let refused = try world.push(["main"], over: world.nodes[1].httpURL("project"))
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("dehub: push refused"), "\(refused.output)")
            let thread = try world.push(["HEAD:refs/heads/idea"], over: world.nodes[2].httpURL("project"))
            #expect(thread.status != 0)
            #expect(try world.storeRefs() == before)
            for i in world.nodes.indices { #expect(try world.localRefs(i) == before, "node \(i)") }
            // On the machine, a ref update that bypasses the host but not the hooks is refused by the cluster hook.
            let head = try s.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
            _ = try world.nodes[0].git(["--git-dir", world.repoPath(0), "fetch", "-q", s.work, "HEAD"])
            let local = try world.nodes[0].git(["--git-dir", world.repoPath(0), "update-ref", "refs/heads/sneaky", head])
            #expect(local.status != 0)
            #expect(local.stderr.contains("did not come from a push through dehub-host"), "\(local.output)")
            #expect(try world.storeRefs() == before)
            try world.expectClean()
        }

        @Test("a copy changed behind the host's back is detected by its checksum, not served, and repaired from the store")
        func tamperedReplicaRepaired() throws {
            let world = try ClusterWorld()
            defer { world.stop() }
            try world.waitConverged()
            let main = try world.storeRefs()["refs/heads/main"] ?? ""
            // An unsigned commit on node 2's main, written straight into the repo with the hooks off.
            let path = world.repoPath(2)
            let tree = try world.nodes[2].git(["--git-dir", path, "rev-parse", "main^{tree}"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let forged = try world.nodes[2].git(["--git-dir", path, "commit-tree", tree, "-p", main, "-m", "forged"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try world.expectOK(
                world.nodes[2].git(["--git-dir", path, "-c", "core.hooksPath=/dev/null", "update-ref", "refs/heads/main", forged])
            )
            // A client of node 2 never sees the forged commit: node 2 proxies or serves the repaired copy.
            let heads = try world.nodes[2].git(["ls-remote", world.nodes[2].httpURL("project"), "main"]).stdout
            #expect(heads.hasPrefix(main), "\(heads)")
            try world.wait("node 2 repaired", timeout: 15) { try world.localRef(2) == main }
            #expect(try world.storeRefs()["refs/heads/main"] == main)
            try world.waitConverged()
            try world.expectClean()
        }

        @Test("concurrent pushes to one branch through nodes 0 and 1: each round exactly one wins, every node converges")
        func concurrentPushes() throws {
            let world = try ClusterWorld()
            defer { world.stop() }
            try world.waitConverged()
            let s = world.scenario, team = world.team
            try s.git("switch", "-q", "-c", "race", "main")
            try s.change("Start", by: team.c, files: ["race.txt": "0\n"])
            try world.expectOK(world.push(["race"], over: world.nodes[0].httpURL("project")))
            let rounds = Int(ProcessInfo.processInfo.environment["DEHUB_CLUSTER_RACE_ROUNDS"] ?? "") ?? 50
            var tip = try s.git("rev-parse", "race").trimmingCharacters(in: .whitespacesAndNewlines)
            for round in 0..<rounds {
                var candidates: [String] = []
                for side in 0..<2 {
                    try s.git("switch", "-q", "-C", "side\(side)", tip)
                    candidates.append(
                        try s.change("Round \(round) side \(side)", by: team.c, files: ["race.txt": "\(round) \(side)\n"]))
                }
                let results = ConcurrentResults(count: 2)
                DispatchQueue.concurrentPerform(iterations: 2) { side in
                    results.set(side, try? world.push(["side\(side):race"], over: world.nodes[side].httpURL("project")))
                }
                let outcomes = results.values
                let winners = outcomes.indices.filter { outcomes[$0]?.status == 0 }
                #expect(winners.count == 1, "round \(round): \(outcomes.map { $0?.output ?? "no result" })")
                for loser in outcomes.indices where !winners.contains(loser) {
                    let output = outcomes[loser]?.output ?? ""
                    #expect(
                        output.contains("fetch") || output.contains("rejected") || output.contains("failed to update ref"),
                        "round \(round): \(output)")
                }
                let stored = try world.storeRefs()["refs/heads/race"] ?? ""
                if let winner = winners.first { #expect(stored == candidates[winner], "round \(round)") }
                tip = stored
            }
            try world.waitConverged()
            try world.expectClean()
        }

        @Test("two of three etcd members stopped: pushes are refused within a bounded time, clones still served")
        func noQuorum() throws {
            let world = try ClusterWorld()
            defer { world.stop() }
            try world.waitConverged()
            let s = world.scenario, team = world.team
            let main = try world.localRef(0)
            world.etcd.kill(1)
            world.etcd.kill(2)
            let tip = try s.landOnMain("Add notes", files: ["notes.txt": "one\n"], author: team.a, reviewers: [team.b])
            let started = Date()
            let refused = try world.nodes[0].git(
                ["push", "-q", world.nodes[0].httpURL("project"), "main"], in: s.work, timeout: 60)
            let seconds = Date().timeIntervalSince(started)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("cluster store unavailable"), "\(refused.output)")
            #expect(seconds < 30, "refused after \(seconds) s")
            for i in world.nodes.indices {
                #expect(try world.localRef(i) == main, "node \(i)")
                let clone = world.nodes[i].root + "/clone-\(i)"
                try world.expectOK(world.nodes[i].git(["clone", "-q", world.nodes[i].httpURL("project"), clone]))
                #expect(try world.nodes[i].git(["-C", clone, "rev-parse", "HEAD"]).stdout.hasPrefix(main))
            }
            // Back to a quorum, the same push goes through and reaches every node.
            try world.etcd.start(1)
            try world.etcd.start(2)
            try world.etcd.waitHealthy(timeout: 30)
            try world.wait("the push accepted again", timeout: 30) {
                try world.push(["main"], over: world.nodes[0].httpURL("project")).status == 0
            }
            try world.wait("every node holds the push", timeout: 15) {
                try world.nodes.indices.allSatisfy { try world.localRef($0) == tip }
            }
            try world.waitConverged()
        }

        @Test("the etcd leader killed during 100 pushes through all three nodes: no divergence, every failure a clean refusal")
        func leaderKilled() throws {
            let pushes = Int(ProcessInfo.processInfo.environment["DEHUB_CLUSTER_LEADER_PUSHES"] ?? "") ?? 100
            let world = try ClusterWorld()
            defer { world.stop() }
            try world.waitConverged()
            let s = world.scenario, team = world.team
            try s.git("switch", "-q", "-c", "lead", "main")
            var accepted = 0
            for i in 0..<pushes {
                if i == pushes / 3, let leader = world.etcd.leader() { world.etcd.kill(leader) }
                try s.change("Push \(i)", by: team.c, files: ["lead.txt": "\(i)\n"])
                let node = world.nodes[i % 3]
                let result = try node.git(["push", "-q", node.httpURL("project"), "lead"], in: s.work, timeout: 60)
                if result.status == 0 {
                    accepted += 1
                } else {
                    // The store unavailable during the election; a push that lost to an earlier one whose client saw a
                    // failure though it landed; a copy that moved between the advertisement and the push (said by the
                    // node, or by git's own compare-and-swap when a catch-up moved the ref under receive-pack:
                    // "cannot lock ref ...: is at X but expected Y").
                    #expect(
                        result.output.contains("cluster store unavailable") || result.output.contains("moved by another push")
                            || result.output.contains("fetch first") || result.output.contains("fetch, then push again")
                            || (result.output.contains("cannot lock ref") && result.output.contains("but expected")),
                        "push \(i): \(result.output)")
                }
            }
            #expect(accepted > pushes / 2, "only \(accepted) of \(pushes) accepted")
            try world.waitConverged()
            try world.expectClean()
        }

        @Test("a fourth node added later catches up from the store and serves")
        func fourthNode() throws {
            let world = try ClusterWorld()
            defer { world.stop() }
            let s = world.scenario, team = world.team
            let tip = try s.landOnMain("Add notes", files: ["notes.txt": "one\n"], author: team.a, reviewers: [team.b])
            try world.expectOK(world.push(["main"], over: world.nodes[1].httpURL("project")))
            try world.addNode()
            try world.waitForNodes(4)
            let fourth = world.nodes[3]
            let heads = try fourth.git(["ls-remote", fourth.httpURL("project"), "main"]).stdout
            #expect(heads.hasPrefix(tip), "\(heads)")
            let clone = fourth.root + "/clone"
            try world.expectOK(fourth.git(["clone", "-q", fourth.httpURL("project"), clone]))
            #expect(try fourth.git(["-C", clone, "rev-parse", "HEAD"]).stdout.hasPrefix(tip))
        }
    }
}

/// Results written by concurrent workers, read after they all finished.
final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [HostCommandResult?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: HostCommandResult?) { lock.withLock { slots[index] = value } }

    var values: [HostCommandResult?] { lock.withLock { slots } }
}
