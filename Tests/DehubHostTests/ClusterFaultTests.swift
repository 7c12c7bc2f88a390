import DehubTestSupport
import Foundation
import Testing

extension ClusterSuites {
    /// The writer killed at the worst moments (test-only `--cluster-test-fault`): after its restart every copy equals
    /// the store, no lock or quarantine is left, and the store holds the push exactly when the commit went through.
    @Suite("Cluster faults: the writer killed just before and just after the etcd commit")
    struct ClusterFaultTests {
        /// Alive and not a zombie (its wrapper reaps it only when told to stop).
        static func isAlive(_ pid: pid_t) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            guard let close = stat.lastIndex(of: ")") else { return false }
            return !stat[close...].hasPrefix(") Z") && !stat[close...].hasPrefix(") X")
        }

        func run(fault: String, landed: Bool) throws {
            let world = try ClusterWorld()
            defer { world.stop() }
            try world.waitConverged()
            let before = try world.storeRefs()["refs/heads/main"] ?? ""
            world.nodes[0].stop()
            try world.start(0, extraArguments: ["--cluster-test-fault", fault])
            let s = world.scenario, team = world.team
            let tip = try s.landOnMain("Add notes", files: ["notes.txt": "one\n"], author: team.a, reviewers: [team.b])
            let push = try world.nodes[0].git(["push", "-q", world.nodes[0].httpURL("project"), "main"], in: s.work, timeout: 60)
            #expect(push.status != 0, "\(push.output)")
            try world.wait("node 0 died", timeout: 10) { !Self.isAlive(world.nodes[0].serverPID) }
            world.nodes[0].stop()  // reaps it: its wrapper waits on the lifeline
            #expect(try world.storeRefs()["refs/heads/main"] == (landed ? tip : before))
            // Restarted, node 0 sweeps its locks and quarantine and rolls forward (or keeps the old value).
            try world.start(0)
            try world.waitConverged()
            for i in world.nodes.indices { #expect(try world.localRef(i) == (landed ? tip : before), "node \(i)") }
            try world.expectClean()
            let quarantines =
                (try? FileManager.default.contentsOfDirectory(atPath: world.repoPath(0) + "/objects"))?
                .filter { $0.hasPrefix("tmp_objdir") || $0.hasPrefix("incoming-") } ?? []
            #expect(quarantines.isEmpty, "\(quarantines)")
            // The client's next fetch tells it what happened.
            let heads = try world.nodes[1].git(["ls-remote", world.nodes[1].httpURL("project"), "main"]).stdout
            #expect(heads.hasPrefix(landed ? tip : before), "\(heads)")
        }

        @Test("killed just before the commit: the push is not in the store, nowhere applied")
        func beforeCommit() throws {
            try run(fault: "before-commit", landed: false)
        }

        @Test("killed just after the commit: the push is in the store, and every node rolls forward to it")
        func afterCommit() throws {
            try run(fault: "after-commit", landed: true)
        }
    }
}
