import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Known keys win: with several keys in an agent, the host refuses the ones it does not know during
    /// authentication, so the client moves on to the next key.
    @Suite("SSH known keys, end to end")
    struct SSHKnownKeysTests {
        /// ssh with no key file and the agent at `socket` (the fixture's own ssh command turns agents off).
        static func agentSSH(_ server: HostTestServer, socket: String) -> (command: String, environment: [String: String]) {
            var environment = server.environment
            environment["SSH_AUTH_SOCK"] = socket
            let command =
                "ssh -p \(server.sshPort) -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
                + " -o BatchMode=yes -o ConnectTimeout=20 -o IdentityFile=none"
            return (command, environment)
        }

        /// An ssh-agent holding `keys` in that order; stopped with the returned workspace.
        static func agent(holding keys: [String], environment: [String: String]) throws -> (SSHTestWorkspace, String) {
            let workspace = try SSHTestWorkspace()
            let socket = try workspace.startAgent()
            var env = environment
            env["SSH_AUTH_SOCK"] = socket
            for key in keys {
                let added = try HostCommandRunner.run(["ssh-add", "-q", key], environment: env)
                guard added.status == 0 else { throw HostTestError("ssh-add failed: \(added.output)") }
            }
            return (workspace, socket)
        }

        @Test("an agent with [a stranger's key, the admin's key] logs in as the admin")
        func agentStrangerThenAdmin() throws {
            let host = try HostFixture.start(createDemo: false)
            defer { host.stop() }
            let server = host.server
            let (workspace, socket) = try Self.agent(holding: [host.stranger, host.admin], environment: server.environment)
            _ = workspace
            let ssh = Self.agentSSH(server, socket: socket)
            let listed = try HostCommandRunner.run(["ssh-add", "-l"], environment: ssh.environment)
            #expect(listed.stdout.split(separator: "\n").first?.contains("stranger") == true, "\(listed.stdout)")
            let who = try HostCommandRunner.run(
                ["sh", "-c", ssh.command + " git@127.0.0.1 whoami"], environment: ssh.environment)
            #expect(who.status == 0, "\(who.output)")
            #expect(who.stdout.contains("(admin)"), "\(who.stdout)")
            let created = try HostCommandRunner.run(
                ["sh", "-c", ssh.command + " git@127.0.0.1 repo create fromagent"],
                environment: ssh.environment)
            #expect(created.status == 0, "\(created.output)")
            #expect(FileManager.default.fileExists(atPath: server.data + "/repos/fromagent.git"))
            // The stranger's key alone is refused, and the message says so.
            let alone = try server.ssh(["whoami"], key: host.stranger)
            #expect(alone.status == 255)
            #expect(alone.stderr.contains("Permission denied (publickey)"))
        }

        @Test("a member with [a stranger's key, the member's key] in an agent deletes a thread branch")
        func agentStrangerThenMember() throws {
            let world = try RealHookTests.World.start()
            defer { world.stop() }
            let s = world.scenario, team = world.team, server = world.server
            try s.git("switch", "-q", "-c", "idea")
            try s.change("An idea", by: team.c, files: ["idea.txt": "idea\n"])
            try world.expectOK(world.push(["idea"], over: server.httpURL("project")))
            #expect(!(try world.hostRef("idea")).isEmpty)
            let (workspace, socket) = try Self.agent(
                holding: [world.stranger, team.bob.privateKeyPath], environment: server.environment)
            _ = workspace
            let ssh = Self.agentSSH(server, socket: socket)
            var environment = ssh.environment
            environment["GIT_SSH_COMMAND"] = ssh.command
            let deleted = try HostCommandRunner.run(
                ["git", "push", "-q", server.sshURL("project"), ":idea"],
                environment: environment, directory: s.work)
            #expect(deleted.status == 0, "\(deleted.output)")
            #expect(try world.hostRef("idea").isEmpty)
        }
    }
}
