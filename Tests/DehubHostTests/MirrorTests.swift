import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Host B mirrors host A's `project` and serves only history that verifies under the project's own rules, from
    /// the pinned root of trust: an upstream that is tampered with behind its hook, rewound, replaced or gone cannot
    /// push anything through the mirror.
    @Suite("Mirrors: verified, read-only, resumable")
    struct MirrorTests {
        @Test(
            "B mirrors A from a pinned root: a signed push to A reaches B by its event stream, a clone from B verifies, pushes to B are refused"
        )
        func mirrorsVerifiedHistory() throws {
            let world = try MirrorWorld.start()
            defer { world.stop() }
            let s = world.scenario, team = world.team, a = world.a
            // The default poll (600 s) never fires here: B follows A's event stream.
            let b = try world.startHost()
            let added = try world.expectOK(
                b.ssh(["mirror", "add", "project", "--from", a.httpURL("project"), "--root", world.root], key: world.admin))
            #expect(added.stdout.contains("read-only mirror of \(a.httpURL("project"))"), "\(added.output)")
            #expect(try world.ref("main", on: b) == world.ref("main", on: a))
            #expect(try world.refState("refs/heads/main", on: b)["result"] as? String == "verified")

            let landed = try s.landOnMain("Add notes", files: ["notes.txt": "one\n"], author: team.a, reviewers: [team.b])
            try world.expectOK(world.push(["main"], to: a.httpURL("project")))
            // The issue's figure is 2 s (bench/mirror-bench.sh measures it); the bound here is loose for a loaded machine.
            #expect(try world.waitUntil(10) { try world.ref("main", on: b) == landed }, "B serves the new tip, event-driven")
            _ = try world.cloneVerifies(b.httpURL("project"), into: "from-b", on: b)

            // Pushes to a mirror are refused before any git runs, on both transports, admins included.
            try s.write("more.txt", "more\n")
            let extra = try s.change("Another", by: team.a)
            for url in [b.httpURL("project"), b.sshURL("project")] {
                let refused = try b.git(["push", "-q", url, "main"], key: world.admin, in: s.work)
                #expect(refused.status != 0)
                #expect(
                    refused.stderr.contains("read-only mirror of \(a.httpURL("project")); push there"), "\(refused.output)")
            }
            #expect(try world.ref("main", on: b) == landed)
            #expect(try b.git(["--git-dir", b.data + "/repos/project.git", "cat-file", "-e", extra]).status != 0)
        }

        @Test(
            "tampering on A behind its hook: an unsigned commit, a rewind and an unrelated root are refused by B, which keeps its main"
        )
        func refusesTampering() throws {
            let world = try MirrorWorld.start()
            defer { world.stop() }
            let s = world.scenario, team = world.team, a = world.a
            let good = try s.landOnMain("Add notes", files: ["notes.txt": "one\n"], author: team.a, reviewers: [team.b])
            try world.expectOK(world.push(["main"], to: a.sshURL("project")))
            let b = try world.startHost()
            try world.expectOK(
                b.ssh(["mirror", "add", "project", "--from", a.httpURL("project"), "--root", world.root], key: world.admin))
            #expect(try world.ref("main", on: b) == good)

            // An unsigned commit written straight into A's bare repository: the hook never ran.
            let tree = try world.behindTheHook(["rev-parse", "main^{tree}"], on: a)
            let unsigned = try world.behindTheHook(["commit-tree", tree, "-p", good, "-m", "Unsigned change"], on: a)
            try world.behindTheHook(["update-ref", "refs/heads/main", unsigned, good], on: a)
            let first = try world.expectOK(b.ssh(["mirror", "sync", "project"], key: world.admin))
            #expect(try world.ref("main", on: b) == good)
            let state = try world.refState("refs/heads/main", on: b)
            #expect(state["result"] as? String == "refused")
            #expect(state["tip"] as? String == good)
            let message = state["message"] as? String ?? ""
            #expect(message.contains(String(unsigned.prefix(10))), "names the commit: \(message)")
            #expect(message.contains("not verifiable on branch 'main'"), "names the rule: \(message)")
            #expect(first.stdout.contains("refused"), "\(first.output)")
            #expect(try world.expectOK(b.git(["ls-remote", b.httpURL("project"), "refs/heads/main"])).stdout.hasPrefix(good))
            // Objects of refused history never enter the served repository.
            #expect(try b.git(["--git-dir", b.data + "/repos/project.git", "cat-file", "-e", unsigned]).status != 0)

            // A rewound: main moved back to its root.
            try world.behindTheHook(["update-ref", "refs/heads/main", world.root], on: a)
            try world.expectOK(b.ssh(["mirror", "sync", "project"], key: world.admin))
            #expect(try world.ref("main", on: b) == good)
            let rewound = try world.refState("refs/heads/main", on: b)["message"] as? String ?? ""
            #expect(rewound.contains("behind the verified \(good.prefix(10))"), "\(rewound)")
            #expect(rewound.contains(String(world.root.prefix(10))), "names what the upstream serves: \(rewound)")

            // A's main replaced by an unrelated root.
            let stranger = try world.behindTheHook(["commit-tree", tree, "-m", "Another project"], on: a)
            try world.behindTheHook(["update-ref", "refs/heads/main", stranger], on: a)
            try world.expectOK(b.ssh(["mirror", "sync", "project"], key: world.admin))
            #expect(try world.ref("main", on: b) == good)
            let replaced = try world.refState("refs/heads/main", on: b)["message"] as? String ?? ""
            #expect(replaced.contains("main at \(stranger.prefix(10)) does not descend from the verified main"), "\(replaced)")
            let human = try world.expectOK(b.ssh(["mirror", "status"], key: world.admin)).stdout
            #expect(human.contains("refs/heads/main: refused, serving \(good)"), "\(human)")
        }

        @Test("B restarted resumes from its verified state without downloading it again; A gone: B keeps serving and says so")
        func resumesAndSurvivesUpstreamLoss() throws {
            let world = try MirrorWorld.start()
            defer { world.stop() }
            let s = world.scenario, team = world.team, a = world.a
            let b = try world.startHost()
            try world.expectOK(b.ssh(["mirror", "add", "project", "--from", a.httpURL("project")], key: world.admin))
            // No --root: the root of trust is taken on the first sync, and shown.
            let status = try world.mirrorStatus(on: b).first
            #expect(status?["root"] as? String == world.root)
            #expect(status?["root_source"] as? String == "first-sync")

            let cache = b.data + "/mirror-cache/project.git"
            let objectsBefore = try world.expectOK(b.git(["--git-dir", cache, "count-objects", "-v"])).stdout
            b.stop()
            // On the server's command line, while the host is down: the same status, and a sync.
            let cli = try world.expectOK(
                HostCommandRunner.run(
                    [HostTestServer.binary(), "mirror", "sync", "project", "--data", b.data], environment: b.environment))
            #expect(cli.stdout.contains("refs/heads/main: verified, serving \(world.root)"), "\(cli.output)")
            try b.start(adminKey: team.alice.privateKeyPath)
            try world.expectOK(b.ssh(["mirror", "sync", "project"], key: world.admin))
            let objectsAfter = try world.expectOK(b.git(["--git-dir", cache, "count-objects", "-v"])).stdout
            #expect(objectsBefore == objectsAfter, "nothing fetched again after the restart")
            #expect(try world.refState("refs/heads/main", on: b)["result"] as? String == "verified")

            // After the restart the mirror follows A again.
            let landed = try s.landOnMain("Add notes", files: ["notes.txt": "one\n"], author: team.a, reviewers: [team.b])
            try world.expectOK(world.push(["main"], to: a.sshURL("project")))
            try world.expectOK(b.ssh(["mirror", "sync", "project"], key: world.admin))
            #expect(try world.ref("main", on: b) == landed)

            a.stop()
            try world.expectOK(b.ssh(["mirror", "sync", "project"], key: world.admin))
            let state = try world.refState("refs/heads/main", on: b)
            #expect(state["result"] as? String == "unreachable")
            #expect(state["tip"] as? String == landed)
            #expect((try world.mirrorStatus(on: b).first?["problem"] as? String ?? "").hasPrefix("upstream unreachable"))
            _ = try world.cloneVerifies(b.httpURL("project"), into: "while-a-is-down", on: b)
        }
    }
}
