import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The host with the real `dehub` binary as its hook (the static one when `DEHUB_BINARY` names it), a
    /// repository whose main needs change commits signed by 2 of alice, bob and carol, and alice as the host's
    /// admin. The transport suites use a stand-in hook; these show the two work together.
    @Suite("The real dehub hook behind the host")
    struct RealHookTests {
        struct World {
            let scenario: Scenario
            let team: ScenarioTeam
            let server: HostTestServer
            let stranger: String

            var admin: String { team.alice.privateKeyPath }

            /// `releases`: the config also lets tags `v*` be published with 2 of the 3 signatures (format §13.3).
            static func start(extraArguments: [String] = [], releases: Bool = false) throws -> World {
                let scenario = try Scenario()
                let team = try ScenarioTeam(in: scenario)
                var config = team.strictConfig()
                if releases { config.accessControls += ScenarioConfig.releasesNeed(2, of: ScenarioTeam.names) }
                try scenario.bootstrap(config, signers: [team.a, team.b])
                let server = try HostTestServer(hook: { _ in try DehubBinary.require() })
                let stranger = try server.makeKey("stranger")
                try server.start(adminKey: team.alice.privateKeyPath, extraArguments: extraArguments)
                let world = World(scenario: scenario, team: team, server: server, stranger: stranger)
                try world.expectOK(server.ssh(["repo", "create", "project"], key: world.admin))
                // The root of trust: the first push to main, from an admin over SSH.
                try world.expectOK(world.push(["main"], over: server.sshURL("project"), key: world.admin))
                return world
            }

            func stop() {
                server.stop()
                server.removeFiles()
            }

            func push(_ arguments: [String], over url: String, key: String? = nil) throws -> HostCommandResult {
                try server.git(["push", "-q", url] + arguments, key: key, in: scenario.work)
            }

            func hostRef(_ ref: String) throws -> String {
                try server.git(["--git-dir", server.data + "/repos/project.git", "rev-parse", "--verify", "-q", ref]).stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }

            @discardableResult
            func expectOK(_ result: HostCommandResult) throws -> HostCommandResult {
                guard result.status == 0 else { throw HostTestError("command failed (\(result.status)): \(result.output)") }
                return result
            }
        }

        @Test("an unsigned commit is refused on main and on a thread branch, over SSH and HTTP, with the hook's reasons")
        func unsignedRefused() throws {
            let world = try World.start()
            defer { world.stop() }
            let s = world.scenario, server = world.server
            let main = try world.hostRef("main")
            try s.write("README.md", "unsigned\n")
            try s.git("add", "-A")
            try s.git("commit", "-q", "-m", "Unsigned change")
            for url in [server.sshURL("project", user: "anonymous"), server.httpURL("project")] {
                let onMain = try world.push(["main"], over: url, key: world.stranger)
                #expect(onMain.status != 0)
                #expect(onMain.stderr.contains("remote: dehub: push refused"), "\(onMain.output)")
                #expect(onMain.stderr.contains("not verifiable on branch 'main'"), "\(onMain.output)")
                let onThread = try world.push(["HEAD:refs/heads/idea"], over: url, key: world.stranger)
                #expect(onThread.status != 0)
                #expect(onThread.stderr.contains("remote: dehub: push refused"), "\(onThread.output)")
            }
            #expect(try world.hostRef("main") == main)
            #expect(try world.hostRef("idea").isEmpty)
        }

        @Test("a change signed by 2 of 3 lands on main from any pusher, over HTTP and SSH; a rewind of main is refused")
        func verifiedAccepted() throws {
            let world = try World.start()
            defer { world.stop() }
            let s = world.scenario, team = world.team, server = world.server
            let first = try s.landOnMain("Add notes", files: ["notes.txt": "one\n"], author: team.a, reviewers: [team.b])
            // Pushes are open: a stranger over HTTP carries the team's signed change.
            try world.expectOK(world.push(["main"], over: server.httpURL("project")))
            #expect(try world.hostRef("main") == first)
            let second = try s.landOnMain("More notes", files: ["notes.txt": "two\n"], author: team.a, reviewers: [team.c])
            try world.expectOK(world.push(["main"], over: server.sshURL("project", user: "anonymous"), key: world.stranger))
            #expect(try world.hostRef("main") == second)
            // A force push back to the first change is refused: main only moves forward under these rules.
            let rewind = try world.push(
                ["--force", "\(first):refs/heads/main"], over: server.sshURL("project"), key: world.admin)
            #expect(rewind.status != 0)
            #expect(rewind.stderr.contains("remote: dehub: push refused"), "\(rewind.output)")
            #expect(try world.hostRef("main") == second)
            // What the host holds verifies offline in a fresh clone.
            let clone = server.root + "/verify"
            try world.expectOK(server.git(["clone", "-q", server.httpURL("project"), clone]))
            let root = try world.expectOK(server.git(["rev-list", "--max-parents=0", "main"], in: clone)).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let verify = try s.run(s.dehubPath, ["verify", "--range", "\(root)..main", "--branch", "main"], in: clone)
            #expect(verify.succeeded, "\(verify.stderrText)")
        }

        @Test("thread branches: anyone may push signed work, only members and admins may delete it")
        func deletions() throws {
            let world = try World.start()
            defer { world.stop() }
            let s = world.scenario, team = world.team, server = world.server
            try s.git("switch", "-q", "-c", "idea")
            try s.change("An idea", by: team.c, files: ["idea.txt": "idea\n"])
            try world.expectOK(world.push(["idea"], over: server.httpURL("project")))
            let tip = try world.hostRef("idea")
            #expect(!tip.isEmpty)
            for (url, key) in [(server.httpURL("project"), nil), (server.sshURL("project", user: "anonymous"), world.stranger)] {
                let refused = try world.push([":idea"], over: url, key: key)
                #expect(refused.status != 0)
                #expect(refused.stderr.contains("deleting 'idea' is refused"), "\(refused.output)")
                #expect(try world.hostRef("idea") == tip)
            }
            // bob is a member (an account's key in the config on main), not an admin.
            try world.expectOK(world.push([":idea"], over: server.sshURL("project"), key: team.bob.privateKeyPath))
            #expect(try world.hostRef("idea").isEmpty)
            try world.expectOK(world.push(["idea"], over: server.sshURL("project", user: "anonymous"), key: world.stranger))
            try world.expectOK(world.push([":idea"], over: server.sshURL("project"), key: world.admin))
            #expect(try world.hostRef("idea").isEmpty)
        }

        @Test("--push members: the accounts' keys in the config on main may push, a stranger may not")
        func membersOnly() throws {
            let world = try World.start(extraArguments: ["--push", "members"])
            defer { world.stop() }
            let s = world.scenario, team = world.team, server = world.server
            let landed = try s.landOnMain("Add notes", files: ["notes.txt": "one\n"], author: team.a, reviewers: [team.b])
            let stranger = try world.push(["main"], over: server.sshURL("project", user: "anonymous"), key: world.stranger)
            #expect(stranger.status != 0)
            #expect(!stranger.output.contains("dehub: push refused"), "refused before the hook: \(stranger.output)")
            // bob is no admin, but his key is an account's ssh_public_key in .dehub/config.yml on main.
            try world.expectOK(world.push(["main"], over: server.sshURL("project"), key: team.bob.privateKeyPath))
            #expect(try world.hostRef("main") == landed)
        }
    }
}
