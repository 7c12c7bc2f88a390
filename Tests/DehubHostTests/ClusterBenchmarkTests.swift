import DehubCluster
import DehubTestSupport
import Foundation
import Testing

extension ClusterSuites {
    /// The figures of `bench/cluster-bench.sh` (run only with `DEHUB_CLUSTER_BENCH=1`): a one-commit push through a
    /// three-node cluster against the same push to a single host, the time until every replica serves the new tip,
    /// and a clone through a node that proxies against a clone straight from a replica. Prints one `bench:` line each.
    @Suite(
        "Cluster benchmarks", .enabled(if: ProcessInfo.processInfo.environment["DEHUB_CLUSTER_BENCH"] != nil))
    struct ClusterBenchmarkTests {
        static var runs: Int { Int(ProcessInfo.processInfo.environment["DEHUB_CLUSTER_BENCH_RUNS"] ?? "") ?? 15 }

        static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        }

        static func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }

        /// Times `runs` pushes of one signed thread commit each; `after` runs after each push (untimed).
        static func timePushes(
            _ scenario: Scenario, team: ScenarioTeam, branch: String, url: String, server: HostTestServer,
            after: () throws -> Void = {}
        ) throws -> [Double] {
            try scenario.git("switch", "-q", "-C", branch, "main")
            var times: [Double] = []
            for i in 0..<(runs + 1) {
                try scenario.change("Bench \(i)", by: team.c, files: ["bench.txt": "\(i)\n"])
                let started = Date()
                let result = try server.git(["push", "-q", url, branch], in: scenario.work)
                let elapsed = Date().timeIntervalSince(started)
                guard result.status == 0 else { throw HostTestError("push failed: \(result.output)") }
                if i > 0 { times.append(elapsed) }  // the first push creates the branch: a warm-up
                try after()
            }
            return times
        }

        @Test("a one-commit push: single host vs cluster; time until every replica serves it")
        func pushes() throws {
            // A single host with the real hook.
            let scenario = try Scenario()
            let team = try ScenarioTeam(in: scenario)
            try scenario.bootstrap(team.strictConfig(), signers: [team.a, team.b])
            let hook = try DehubBinary.require()
            let single = try HostTestServer(hook: { _ in hook })
            defer {
                single.stop()
                single.removeFiles()
            }
            try single.start(adminKey: team.alice.privateKeyPath)
            guard try single.ssh(["repo", "create", "project"], key: team.alice.privateKeyPath).status == 0,
                try single.git(
                    ["push", "-q", single.sshURL("project"), "main"], key: team.alice.privateKeyPath, in: scenario.work
                )
                .status == 0
            else { throw HostTestError("single host setup failed") }
            let singleTimes = try Self.timePushes(
                scenario, team: team, branch: "bench-single", url: single.httpURL("project"), server: single)

            let world = try ClusterWorld()
            defer { world.stop() }
            try world.waitConverged()
            var replicaTimes: [Double] = []
            let clusterTimes = try Self.timePushes(
                world.scenario, team: world.team, branch: "bench", url: world.nodes[0].httpURL("project"),
                server: world.nodes[0]
            ) {
                let tip = try world.scenario.git("rev-parse", "bench").trimmingCharacters(in: .whitespacesAndNewlines)
                let started = Date()
                try world.wait("replicas", timeout: 30) {
                    try world.localRef(1, "refs/heads/bench") == tip && world.localRef(2, "refs/heads/bench") == tip
                }
                replicaTimes.append(Date().timeIntervalSince(started))
            }
            let floor = try Self.etcdFloor(world)
            let singleMedian = Self.median(singleTimes), cluster = Self.median(clusterTimes)
            print(
                "bench: one-commit push over HTTP, median of \(Self.runs): single host \(Self.ms(singleMedian)), cluster \(Self.ms(cluster)) (+\(Self.ms(cluster - singleMedian)))"
            )
            print(
                "bench: after the push returned, every replica served the new tip in: median \(Self.ms(Self.median(replicaTimes))), worst \(Self.ms(replicaTimes.max() ?? 0)) (polled from the files every 20 ms)"
            )
            print("bench: the floor, the same etcd: \(floor)")
        }

        /// What the store costs by itself: a put transaction through the JSON gateway (curl's own time, one
        /// connection each, to the leader and to a follower), and the leader's WAL fsync and backend commit, averaged
        /// over everything it wrote in this run (its `/metrics`).
        static func etcdFloor(_ world: ClusterWorld) throws -> String {
            guard let leader = world.etcd.leader() else { return "no etcd leader" }
            let follower = (leader + 1) % world.etcd.members.count
            let environment = ProcessInfo.processInfo.environment
            let key = Data((world.prefix + "/bench-floor").utf8).base64EncodedString()
            let value = Data(String(repeating: "a", count: 40).utf8).base64EncodedString()
            let body = "{\"compare\":[],\"success\":[{\"request_put\":{\"key\":\"\(key)\",\"value\":\"\(value)\"}}]}"
            func txn(_ member: Int) throws -> [Double] {
                try (0..<(runs * 2)).map { _ in
                    let result = try HostCommandRunner.run(
                        [
                            "curl", "-s", "-o", "/dev/null", "-w", "%{time_total}", "-X", "POST",
                            world.etcd.members[member].clientURL + "/v3/kv/txn", "-d", body,
                        ], environment: environment, timeout: 10)
                    return Double(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
                }
            }
            let toLeader = median(try txn(leader)), toFollower = median(try txn(follower))
            let metrics = try HostCommandRunner.run(
                ["curl", "-s", world.etcd.members[leader].clientURL + "/metrics"], environment: environment, timeout: 10
            ).stdout
            func average(_ name: String) -> Double {
                var sum = 0.0, count = 0.0
                for line in metrics.split(separator: "\n") {
                    let parts = line.split(separator: " ")
                    guard parts.count == 2, let number = Double(parts[1]) else { continue }
                    if parts[0] == name + "_sum" { sum = number }
                    if parts[0] == name + "_count" { count = number }
                }
                return count > 0 ? sum / count : 0
            }
            return "a put txn through the gateway, median of \(runs * 2): to the leader \(ms(toLeader)), to a follower "
                + "\(ms(toFollower)); the leader's WAL fsync \(ms(average("etcd_disk_wal_fsync_duration_seconds"))), "
                + "backend commit \(ms(average("etcd_disk_backend_commit_duration_seconds"))) (averages over the run)"
        }

        @Test("a clone through a node that proxies vs straight from a replica")
        func proxiedClone() throws {
            let world = try ClusterWorld(config: "cluster_replicas: 2\n")
            defer { world.stop() }
            let set = ReplicaSet.choose(repo: "project", nodes: ["n0", "n1", "n2"], count: 2)
            // The proxying node forwards to the first replica of the set that is in step: compare with that one.
            guard let proxy = (0..<3).first(where: { !set.contains("n\($0)") }), let first = set.first,
                let direct = Int(first.dropFirst())
            else { throw HostTestError("no proxying node") }
            // Some weight: 4 MiB of incompressible bytes on main.
            var generator = SeededGenerator(seed: 7)
            let blob = (0..<(4 * 1024 * 1024 / 8)).map { _ in String(generator.next(), radix: 36) }.joined()
            let s = world.scenario, team = world.team
            try s.landOnMain("Add data", files: ["data.txt": blob], author: team.a, reviewers: [team.b])
            try world.expectOK(world.push(["main"], over: world.nodes[direct].httpURL("project")))
            try world.waitConverged(nodes: set.map { Int($0.dropFirst())! })
            func time(_ node: Int) throws -> [Double] {
                var times: [Double] = []
                for i in 0..<(Self.runs + 1) {
                    let path = world.nodes[node].root + "/bench-clone-\(i)"
                    let started = Date()
                    try world.expectOK(
                        world.nodes[node].git(["clone", "-q", "--bare", world.nodes[node].httpURL("project"), path]))
                    if i > 0 { times.append(Date().timeIntervalSince(started)) }
                    try? FileManager.default.removeItem(atPath: path)
                }
                return times
            }
            let direct1 = Self.median(try time(direct)), proxied = Self.median(try time(proxy))
            print(
                "bench: clone of a 4 MiB repo over HTTP, median of \(Self.runs): straight from a replica \(Self.ms(direct1)), through a proxying node \(Self.ms(proxied)) (\(String(format: "%.2f", proxied / direct1))x)"
            )
        }
    }
}
