import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// OpenSSH mode without a real sshd: a stand-in `ssh` asks `dehub-host authorized-keys` for the line
    /// sshd would use, and runs its forced command with `SSH_ORIGINAL_COMMAND`, as sshd does after it
    /// verified the key. RSA keys work here, through the same access gate as the embedded server.
    @Suite("OpenSSH mode (authorized-keys + shell)")
    struct OpenSSHModeTests {
        struct Setup {
            let server: HostTestServer
            let admin: String
            let stranger: String

            /// A stand-in `ssh` for `key`; git calls it as `ssh [options] HOST COMMAND`.
            func fakeSSH(for key: String) throws -> String {
                let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8).split(separator: " ")
                let path = key + "-fake-ssh"
                let script = """
                    #!/bin/sh
                    eval "command=\\${$#}"
                    line=$('\(HostTestServer.binary())' authorized-keys --data '\(server.data)' '\(publicKey[0])' '\(publicKey[1])')
                    forced=$(printf '%s' "$line" | sed -n 's/^restrict,command="\\([^"]*\\)" .*/\\1/p')
                    [ -n "$forced" ] || { echo "Permission denied (publickey)." >&2; exit 255; }
                    SSH_ORIGINAL_COMMAND="$command" exec sh -c "$forced"

                    """
                try script.write(toFile: path, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
                return path
            }

            func git(
                _ arguments: [String], key: String, in directory: String? = nil,
                extra: [String: String] = [:]
            ) throws -> HostCommandResult {
                var env = server.environment
                env["GIT_SSH_COMMAND"] = try fakeSSH(for: key)
                env["GIT_SSH_VARIANT"] = "ssh"  // git then passes GIT_PROTOCOL in the environment, as sshd does with AcceptEnv
                env.merge(extra) { $1 }
                return try HostCommandRunner.run(["git"] + arguments, environment: env, directory: directory)
            }
        }

        static func setUp() throws -> Setup {
            let server = try HostTestServer()
            let admin = try server.makeKey("admin-rsa", type: "rsa")
            let stranger = try server.makeKey("stranger-rsa", type: "rsa")
            let created = try HostCommandRunner.run(
                [HostTestServer.binary(), "repo", "create", "demo", "--data", server.data, "--hook", server.hook],
                environment: server.environment)
            guard created.status == 0 else { throw HostTestError(created.output) }
            try String(contentsOfFile: admin + ".pub", encoding: .utf8).write(
                toFile: server.data + "/admins", atomically: true, encoding: .utf8)
            return Setup(server: server, admin: admin, stranger: stranger)
        }

        @Test("authorized-keys admits a key with a forced shell command, and prints nothing for garbage")
        func authorizedKeysLine() throws {
            let setup = try Self.setUp()
            defer { setup.server.removeFiles() }
            let key = try String(contentsOfFile: setup.admin + ".pub", encoding: .utf8).split(separator: " ")
            let line = try HostCommandRunner.run(
                [HostTestServer.binary(), "authorized-keys", "--data", setup.server.data, String(key[0]), String(key[1])],
                environment: setup.server.environment)
            #expect(line.status == 0)
            #expect(line.stdout.hasPrefix("restrict,command=\""))
            #expect(
                line.stdout.contains(" shell --data \(setup.server.data) --key-type ssh-rsa --key \(key[1])\" ssh-rsa \(key[1])"))
            let garbage = try HostCommandRunner.run(
                [HostTestServer.binary(), "authorized-keys", "--data", setup.server.data, "ssh-ed25519", "AAAA;rm -rf /"],
                environment: setup.server.environment)
            #expect(garbage.stdout.isEmpty)
        }

        @Test("RSA keys through OpenSSH mode: admin's first push, clone v2, hook refusal, stranger's admin command refused")
        func rsaThroughOpenSSHMode() throws {
            let setup = try Self.setUp()
            defer { setup.server.removeFiles() }
            let server = setup.server
            let work = try server.makeWorkTree("work", message: "root: signed")
            let strangerFirst = try setup.git(["push", "git@host:demo.git", "main"], key: setup.stranger, in: work)
            #expect(strangerFirst.status != 0)
            #expect(strangerFirst.stderr.contains("root of trust"))
            let first = try setup.git(["push", "-q", "git@host:demo.git", "main"], key: setup.admin, in: work)
            #expect(first.status == 0, "\(first.output)")

            let clone = server.root + "/clone"
            let cloned = try setup.git(
                ["-c", "protocol.version=2", "clone", "-q", "git@host:demo.git", clone], key: setup.stranger,
                extra: ["GIT_TRACE_PACKET": "1"])
            #expect(cloned.status == 0, "\(cloned.output)")
            #expect(cloned.stderr.contains("version 2"))
            try server.commit(in: clone, message: "change without a signature")
            let refused = try setup.git(["push", "origin", "main"], key: setup.stranger, in: clone)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("remote: \(HostHook.rejectionPrefix)"))

            var env = server.environment
            env["GIT_SSH_COMMAND"] = nil
            let fake = try setup.fakeSSH(for: setup.stranger)
            let create = try HostCommandRunner.run([fake, "host", "repo create x"], environment: env)
            #expect(create.status == 1)
            #expect(create.stderr.contains("needs an admin key"))
            let adminFake = try setup.fakeSSH(for: setup.admin)
            let list = try HostCommandRunner.run([adminFake, "host", "repo list"], environment: env)
            #expect(list.stdout.contains("demo"))
            let trick = try HostCommandRunner.run([fake, "host", "git-upload-pack '../etc.git'"], environment: env)
            #expect(trick.status == 1)
            #expect(trick.stderr.contains("repository not found"))
        }
    }
}
