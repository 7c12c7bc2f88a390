import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The embedded SSH server against real `ssh` and `git`, as admin, reader, stranger, anonymous and attacker.
    /// Strangers' keys are refused at login (known keys win), so a stranger works as `anonymous@`.
    @Suite("Embedded SSH, end to end")
    struct SSHTransportTests {
        /// A key the host knows without rights beyond reading: listed in `dehub-readers` of `repo`.
        static func makeReader(_ host: HostFixture, of repo: String, name: String = "reader", type: String = "ed25519") throws
            -> String
        {
            let key = try host.server.makeKey(name, type: type)
            let line = try String(contentsOfFile: key + ".pub", encoding: .utf8)
            let readers = host.server.data + "/repos/" + repo + ".git/dehub-readers"
            let existing = (try? String(contentsOfFile: readers, encoding: .utf8)) ?? ""
            try (existing + line).write(toFile: readers, atomically: true, encoding: .utf8)
            return key
        }

        @Test("clone, fetch, push and ls-remote over SSH", arguments: [0, 2])
        func cloneAndPush(protocolVersion: Int) throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            let anonymousURL = server.sshURL("demo", user: "anonymous")
            let clone = try host.clone(anonymousURL, to: "clone", key: host.stranger, protocolVersion: protocolVersion)
            try server.commit(in: clone, message: "change: signed")
            try host.expectOK(
                server.git(
                    ["-c", "protocol.version=\(protocolVersion)", "push", "-q", "origin", "main"],
                    key: host.stranger, in: clone))
            let traced = try server.git(
                ["-c", "protocol.version=\(protocolVersion)", "ls-remote", anonymousURL],
                key: host.stranger, extraEnvironment: ["GIT_TRACE_PACKET": "1"])
            #expect(traced.status == 0)
            #expect(traced.stdout.contains("refs/heads/main"))
            #expect(traced.stderr.contains("version 2") == (protocolVersion == 2))
            try host.expectOK(
                server.git(["-c", "protocol.version=\(protocolVersion)", "fetch", "-q", "origin"], key: host.stranger, in: clone))
        }

        @Test("an unverified push over SSH is refused with the hook's message; nothing lands")
        func unverifiedPushRefused() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            let clone = try host.clone(server.sshURL("demo", user: "anonymous"), to: "clone", key: host.stranger)
            let before = try host.expectOK(server.git(["rev-parse", "HEAD"], in: clone)).stdout
            try server.commit(in: clone, message: "sneaky change")
            let refused = try server.git(["push", "origin", "main"], key: host.stranger, in: clone)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("remote: \(HostHook.rejectionPrefix)"))
            let after = try host.expectOK(server.git(["ls-remote", server.sshURL("demo"), "refs/heads/main"], key: host.admin))
            #expect(after.stdout.hasPrefix(before.trimmingCharacters(in: .whitespacesAndNewlines)))
        }

        @Test(
            "admin commands: create, list, whoami, delete; a known non-admin may not create or delete; a stranger's key is refused"
        )
        func adminCommands() throws {
            let host = try HostFixture.start(createDemo: false)
            defer { host.stop() }
            let server = host.server
            let created = try host.expectOK(server.ssh(["repo", "create", "team/project"], key: host.admin))
            #expect(created.stdout.contains("created team/project"))
            #expect(FileManager.default.fileExists(atPath: server.data + "/repos/team/project.git/hooks/pre-receive"))
            let reader = try Self.makeReader(host, of: "team/project")
            let list = try host.expectOK(server.ssh(["repo", "list"], key: nil, user: "anonymous"))
            #expect(list.stdout.contains("team/project"))
            let whoami = try host.expectOK(server.ssh(["whoami"], key: host.admin))
            #expect(whoami.stdout.contains("(admin)"))
            let readerWho = try host.expectOK(server.ssh(["whoami"], key: reader))
            #expect(!readerWho.stdout.contains("(admin)"))
            let strangerWho = try server.ssh(["whoami"], key: host.stranger)
            #expect(strangerWho.status == 255)
            #expect(strangerWho.stderr.contains("Permission denied (publickey)"))

            let refusedCreate = try server.ssh(["repo", "create", "mine"], key: reader)
            #expect(refusedCreate.status == 1)
            #expect(refusedCreate.stderr.contains("permission denied: this command needs an admin key"))
            #expect(!FileManager.default.fileExists(atPath: server.data + "/repos/mine.git"))
            let refusedDelete = try server.ssh(["repo", "delete", "team/project"], key: reader)
            #expect(refusedDelete.status == 1)
            #expect(FileManager.default.fileExists(atPath: server.data + "/repos/team/project.git"))

            let badName = try server.ssh(["repo", "create", "../escape"], key: host.admin)
            #expect(badName.status == 64)
            #expect(badName.stderr.contains("invalid repository name"))
            let shellish = try server.ssh(["ls", "/"], key: host.admin)
            #expect(shellish.status != 0)
            let notCluster = try server.ssh(["cluster", "status"], key: host.admin)
            #expect(notCluster.status == 64)
            #expect(notCluster.stderr.contains("not a cluster node"))
            let readerCluster = try server.ssh(["cluster", "status"], key: reader)
            #expect(readerCluster.status == 1)
            #expect(readerCluster.stderr.contains("this command needs an admin key"))

            try host.expectOK(server.ssh(["repo", "delete", "team/project"], key: host.admin))
            #expect(!FileManager.default.fileExists(atPath: server.data + "/repos/team/project.git"))
        }

        @Test("the first push to an empty repo: refused for a stranger, accepted from an admin")
        func firstPushIsTheRootOfTrust() throws {
            let host = try HostFixture.start(createDemo: false)
            defer { host.stop() }
            let server = host.server
            try host.expectOK(server.ssh(["repo", "create", "fresh"], key: host.admin))
            let work = try server.makeWorkTree("work", message: "root: signed")
            let refused = try server.git(
                ["push", server.sshURL("fresh", user: "anonymous"), "main"], key: host.stranger, in: work)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("the first push (the root of trust) must come from an admin over SSH"))
            try host.expectOK(server.git(["push", "-q", server.sshURL("fresh"), "main"], key: host.admin, in: work))
        }

        @Test("anonymous reads of public repos over SSH; a private repo looks missing")
        func anonymousReads() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            _ = try host.clone(server.sshURL("demo", user: "anonymous"), to: "anon", key: nil)
            try host.expectOK(server.ssh(["repo", "create", "secret", "--private"], key: host.admin))
            let secret = try server.git(["ls-remote", server.sshURL("secret", user: "anonymous")])
            let missing = try server.git(["ls-remote", server.sshURL("missing", user: "anonymous")])
            #expect(secret.status != 0)
            #expect(secret.status == missing.status)
            #expect(secret.stderr == missing.stderr)
            let reader = try Self.makeReader(host, of: "demo")
            let strangerSecret = try server.git(["ls-remote", server.sshURL("secret")], key: reader)
            let strangerMissing = try server.git(["ls-remote", server.sshURL("missing")], key: reader)
            #expect(strangerSecret.status != 0)
            #expect(strangerSecret.stderr == strangerMissing.stderr)
            #expect(strangerSecret.stderr.contains("repository not found"))
            try host.expectOK(server.git(["ls-remote", server.sshURL("secret")], key: host.admin))
            // without a key, only the anonymous user name gets in
            let keyless = try server.ssh(["whoami"], key: nil, user: "git")
            #expect(keyless.status == 255)
        }

        /// Attack: the attacker's client offers the admin's public key (which is public) but can only sign
        /// with its own private key. The server must not take the offered key as the identity.
        @Test("an attacker offering the admin's public key but signing with its own is not the admin")
        func offeredKeyIsNotIdentity() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            let attacker = try server.makeKey("attacker")
            // ssh takes the public half from KEY.pub: pair the attacker's private key with the admin's public key.
            try FileManager.default.removeItem(atPath: attacker + ".pub")
            try FileManager.default.copyItem(atPath: host.admin + ".pub", toPath: attacker + ".pub")
            let result = try server.ssh(["repo", "create", "pwned"], key: attacker)
            #expect(result.status != 0)
            #expect(!FileManager.default.fileExists(atPath: server.data + "/repos/pwned.git"))
            let who = try server.ssh(["whoami"], key: attacker)
            #expect(!who.stdout.contains("(admin)"))
        }

        @Test(
            "repo-name tricks over SSH get the same answer as a missing repo",
            arguments: [
                "'../x.git'", "'/etc'", "'/.hidden.git'", "'a/../../b.git'", "'//etc/passwd'", "'~root/x.git'",
                "'" + String(repeating: "a", count: 300) + ".git'", "'demo.git/../../etc'",
            ])
        func nameTricks(path: String) throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let trick = try host.server.ssh(["git-upload-pack", path], key: nil, user: "anonymous")
            let missing = try host.server.ssh(["git-upload-pack", "'/missing.git'"], key: nil, user: "anonymous")
            #expect(trick.status == 1)
            #expect(trick.stderr == missing.stderr)
            #expect(trick.stdout.isEmpty)
        }

        @Test("an unknown RSA key is refused like any unknown key; keyless sessions say which keys work")
        func rsaKey() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            let rsa = try server.makeKey("rsa", type: "rsa")
            let refused = try server.ssh(["whoami"], key: rsa)
            #expect(refused.status == 255)
            #expect(refused.stderr.contains("Permission denied"))
            let anonymous = try server.ssh(["repo", "create", "x"], key: rsa, user: "anonymous")
            #expect(anonymous.status == 1)
            #expect(anonymous.stderr.contains("RSA (rsa-sha2-256/512 signatures)"))
            #expect(anonymous.stderr.contains("security keys"))
        }

        @Test("ECDSA keys work")
        func ecdsa() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let ecdsa = try Self.makeReader(host, of: "demo", name: "ecdsa", type: "ecdsa")
            let who = try host.expectOK(host.server.ssh(["whoami"], key: ecdsa))
            #expect(who.stdout.contains("ecdsa-sha2-nistp256"))
        }
    }
}
