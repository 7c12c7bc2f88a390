import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Forks on one host: a fork that keeps the accounts verifies from the upstream's root unchanged; a fork with new
    /// accounts starts its own root of trust (docs/format.md §14). Both record their lineage, which `repos.json` shows.
    @Suite("Forks with lineage")
    struct ForkTests {
        @Test(
            "a fork that keeps the accounts: same project id, lineage in repos.json, its clone verifies, its rules are the upstream's"
        )
        func forkKeepsAccounts() throws {
            let world = try MirrorWorld.start()
            defer { world.stop() }
            let s = world.scenario, team = world.team, a = world.a
            let forked = try world.expectOK(a.ssh(["repo", "fork", "project", "derived"], key: world.admin))
            #expect(forked.stdout.contains("forked project to derived"), "\(forked.output)")
            #expect(try world.ref("main", of: "derived", on: a) == world.ref("main", on: a))

            let entry = try directoryEntry("derived", on: a)
            #expect(entry["id"] as? String == world.root)
            #expect(entry["main"] as? String == (try world.ref("main", on: a)))
            let parents = entry["forked_from"] as? [[String: Any]] ?? []
            #expect(parents.count == 1)
            #expect(parents.first?["id"] as? String == world.root)
            #expect(parents.first?["url"] as? String == a.httpURL("project"))
            #expect(parents.first?["at"] is String)
            #expect((try directoryEntry("project", on: a)["forked_from"] as? [Any])?.isEmpty == true)
            _ = try world.cloneVerifies(a.httpURL("derived"), into: "derived-clone", on: a)

            // The fork takes what the upstream's rules take, and nothing else.
            let landed = try s.landOnMain("On the fork", files: ["fork.txt": "one\n"], author: team.a, reviewers: [team.c])
            try world.expectOK(world.push(["main"], to: a.httpURL("derived")))
            #expect(try world.ref("main", of: "derived", on: a) == landed)
            #expect(try world.ref("main", on: a) != landed, "the upstream did not move")
            try s.write("alone.txt", "alone\n")
            try s.change("Signed by one", by: team.a)
            let refused = try world.push(["main"], to: a.httpURL("derived"))
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("dehub: push refused"), "\(refused.output)")
        }

        @Test("a fork with new accounts: an empty fork, a new root commit pushed by the admin, a new id, the old lineage")
        func forkWithNewAccounts() throws {
            let world = try MirrorWorld.start()
            defer { world.stop() }
            let s = world.scenario, a = world.a
            try world.expectOK(a.ssh(["repo", "fork", "project", "newproject", "--new-root"], key: world.admin))
            #expect(try world.ref("main", of: "newproject", on: a).isEmpty)

            // dave alone governs the fork: its root commit carries the upstream's files and a config naming dave.
            let dave = try s.sshKey("dave")
            let daveSigner = ScenarioSigner("dave", key: dave)
            let config = ScenarioConfig(
                accounts: [.init("dave", [.ssh(dave.publicKeyLine)])],
                accessControls: ScenarioConfig.mainNeeds(1, of: ["dave"]))
            try s.git("checkout", "-q", "--orphan", "forkroot", "main")
            let newRoot = try s.change(
                "Fork of project \(world.root) with new accounts", by: daveSigner,
                files: [".dehub/config.yml": config.render()])
            #expect(try s.git("rev-list", "--count", "forkroot") == "1")
            try world.expectOK(world.push(["forkroot:refs/heads/main"], to: a.sshURL("newproject")))

            let entry = try directoryEntry("newproject", on: a)
            #expect(entry["id"] as? String == newRoot)
            let parents = entry["forked_from"] as? [[String: Any]] ?? []
            #expect(parents.first?["id"] as? String == world.root)
            let clone = try world.cloneVerifies(a.httpURL("newproject"), into: "newproject-clone", on: a)
            #expect(try a.git(["rev-list", "--max-parents=0", "main"], in: clone).stdout.hasPrefix(newRoot))

            // dave's signature now lands changes; the upstream's history (and its signers' work) does not enter.
            try s.git("checkout", "-q", "-B", "main", "forkroot")
            let landed = try s.landOnMain("Dave's change", files: ["dave.txt": "d\n"], author: daveSigner, reviewers: [])
            try world.expectOK(world.push(["main"], to: a.httpURL("newproject")))
            #expect(try world.ref("main", of: "newproject", on: a) == landed)
            let upstreamTip = try world.ref("main", on: a)
            let refused = try world.push(["\(upstreamTip):refs/heads/upstream-history"], to: a.httpURL("newproject"))
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("dehub: push refused"), "\(refused.output)")
        }

        @Test("fork refusals: a missing source, an existing destination, a source without main, a non-admin")
        func forkRefusals() throws {
            let world = try MirrorWorld.start()
            defer { world.stop() }
            let a = world.a
            let stranger = try a.makeKey("stranger")
            let missing = try a.ssh(["repo", "fork", "nothing", "x"], key: world.admin)
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("repository nothing not found"), "\(missing.output)")
            try world.expectOK(a.ssh(["repo", "create", "empty"], key: world.admin))
            let empty = try a.ssh(["repo", "fork", "empty", "x"], key: world.admin)
            #expect(empty.stderr.contains("has no main branch yet"), "\(empty.output)")
            let exists = try a.ssh(["repo", "fork", "project", "empty"], key: world.admin)
            #expect(exists.stderr.contains("repository empty already exists"), "\(exists.output)")
            let notAdmin = try a.ssh(["repo", "fork", "project", "x"], key: stranger, user: "anonymous")
            #expect(notAdmin.status == 1)
            #expect(notAdmin.stderr.contains("needs an admin key"), "\(notAdmin.output)")
            #expect(try world.ref("main", of: "x", on: a).isEmpty)
        }

        /// The entry for `name` in `server`'s `/.well-known/dehub/repos.json`.
        func directoryEntry(_ name: String, on server: HostTestServer) throws -> [String: Any] {
            let body = try HostCommandRunner.run(
                ["curl", "-sS", "--fail", "http://127.0.0.1:\(server.httpPort)/.well-known/dehub/repos.json"],
                environment: server.environment)
            guard body.status == 0,
                let json = try JSONSerialization.jsonObject(with: Data(body.stdout.utf8)) as? [String: Any],
                let repos = json["repos"] as? [[String: Any]], let entry = repos.first(where: { $0["name"] as? String == name })
            else { throw HostTestError("no entry \(name) in repos.json: \(body.output)") }
            return entry
        }
    }
}
