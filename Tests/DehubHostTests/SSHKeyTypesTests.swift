import Crypto
import DehubHost
import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The key types users have (issue 17): RSA with SHA-2 signatures, ECDSA of every size, and what a refused
    /// client is told: a SHA-1-only RSA client, a stranger's key, a keyless `git@` login.
    @Suite("Embedded SSH key types, end to end")
    struct SSHKeyTypesTests {
        /// Makes a key with ssh-keygen and adds its public line to the host's admins.
        static func makeAdmin(_ host: HostFixture, name: String, type: String, bits: Int) throws -> String {
            let path = host.server.root + "/" + name
            let made = try HostCommandRunner.run(
                ["ssh-keygen", "-q", "-t", type, "-b", "\(bits)", "-N", "", "-C", name, "-f", path],
                environment: host.server.environment)
            guard made.status == 0 else { throw HostTestError("ssh-keygen failed: \(made.output)") }
            let line = try String(contentsOfFile: path + ".pub", encoding: .utf8)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: host.server.data + "/admins"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(line.utf8))
            try handle.close()
            return path
        }

        /// The fixture's ssh command, with messages at INFO (banners and keyboard-interactive text show) and
        /// `extra` options.
        static func talkativeSSH(_ server: HostTestServer, key: String?, extra: String = "") -> String {
            server.sshCommand(key: key).replacingOccurrences(of: "LogLevel=ERROR", with: "LogLevel=INFO") + extra
        }

        @Test(
            "clone and push with an RSA-3072 and an ECDSA P-384 key",
            arguments: [("rsa", 3072, "ssh-rsa"), ("ecdsa", 384, "ecdsa-sha2-nistp384")])
        func cloneAndPush(type: String, bits: Int, algorithm: String) throws {
            let host = try HostFixture.start(createDemo: false)
            defer { host.stop() }
            let server = host.server
            let key = try Self.makeAdmin(host, name: "\(type)\(bits)", type: type, bits: bits)
            let who = try host.expectOK(server.ssh(["whoami"], key: key))
            #expect(who.stdout.contains("(admin)"), "\(who.stdout)")
            #expect(who.stdout.contains(algorithm), "\(who.stdout)")
            try host.expectOK(server.ssh(["repo", "create", "keys"], key: key))
            let work = try server.makeWorkTree("seed", message: "root: signed")
            try host.expectOK(server.git(["push", "-q", server.sshURL("keys"), "main"], key: key, in: work))
            let clone = server.root + "/clone"
            try host.expectOK(server.git(["clone", "-q", server.sshURL("keys"), clone], key: key))
            try server.commit(in: clone, message: "change: signed")
            try host.expectOK(server.git(["push", "-q", "origin", "main"], key: key, in: clone))
            let local = try host.expectOK(server.git(["rev-parse", "HEAD"], in: clone)).stdout
            let remote = try host.expectOK(server.git(["ls-remote", server.sshURL("keys"), "refs/heads/main"], key: key))
            #expect(remote.stdout.hasPrefix(local.trimmingCharacters(in: .whitespacesAndNewlines)))
        }

        /// No FIDO authenticator here: the signature comes from `SSHSecurityKeyAgent`, made as an authenticator makes it.
        @Test("a security key (sk-ssh-ed25519) logs in through an agent; the same key unknown to the host is refused")
        func securityKey() throws {
            let host = try HostFixture.start(createDemo: false)
            defer { host.stop() }
            let server = host.server
            let agent = try SSHSecurityKeyAgent(directory: server.root)
            defer { agent.stop() }
            let ssh = SSHKnownKeysTests.agentSSH(server, socket: agent.socketPath)
            let unknown = try HostCommandRunner.run(
                ["sh", "-c", ssh.command + " git@127.0.0.1 whoami"], environment: ssh.environment)
            #expect(unknown.status == 255, "\(unknown.output)")
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: server.data + "/admins"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((agent.publicLine + "\n").utf8))
            try handle.close()
            let who = try HostCommandRunner.run(
                ["sh", "-c", ssh.command + " git@127.0.0.1 whoami"], environment: ssh.environment)
            #expect(who.status == 0, "\(who.output)")
            #expect(who.stdout.contains("(admin)"), "\(who.stdout)")
            #expect(who.stdout.contains("sk-ssh-ed25519"), "\(who.stdout)")
        }

        @Test("an RSA client limited to SHA-1 ssh-rsa signatures is refused, and told why")
        func sha1Refused() throws {
            let host = try HostFixture.start(createDemo: false)
            defer { host.stop() }
            let server = host.server
            let key = try Self.makeAdmin(host, name: "rsa", type: "rsa", bits: 3072)
            try host.expectOK(server.ssh(["whoami"], key: key))
            let ssh = Self.talkativeSSH(server, key: key, extra: " -o PubkeyAcceptedAlgorithms=ssh-rsa")
            let refused = try HostCommandRunner.run(
                ["sh", "-c", ssh + " git@127.0.0.1 whoami"], environment: server.environment)
            #expect(refused.status == 255)
            #expect(refused.stderr.contains("signs with SHA-1 (ssh-rsa), which this host refuses"), "\(refused.stderr)")
            #expect(refused.stderr.contains("rsa-sha2-256"))
            #expect(!refused.stdout.contains("(admin)"))
        }

        @Test("a stranger's key and a keyless git@ login are told which keys work and how to get in")
        func refusalsExplain() throws {
            let host = try HostFixture.start(createDemo: false)
            defer { host.stop() }
            let server = host.server
            let stranger = try HostCommandRunner.run(
                ["sh", "-c", Self.talkativeSSH(server, key: host.stranger) + " git@127.0.0.1 whoami"],
                environment: server.environment)
            #expect(stranger.status == 255)
            #expect(stranger.stderr.contains("this host does not know the key SHA256:"), "\(stranger.stderr)")
            #expect(stranger.stderr.contains("ask an admin of this host to add your .pub line"))
            #expect(stranger.stderr.contains("Permission denied (publickey)"))
            // Keyboard-interactive is how a keyless client is told: ssh tries it only outside batch mode.
            let keyless = try HostCommandRunner.run(
                [
                    "sh", "-c",
                    Self.talkativeSSH(server, key: nil).replacingOccurrences(of: "BatchMode=yes", with: "BatchMode=no")
                        + " git@127.0.0.1 whoami </dev/null",
                ], environment: server.environment)
            #expect(keyless.status == 255)
            #expect(keyless.stderr.contains("without a key this host knows"), "\(keyless.stderr)")
            #expect(keyless.stderr.contains("Keys that work here: Ed25519, ECDSA"))
            #expect(keyless.stderr.contains("anonymous@"))
        }

        @Test("64 concurrent clones over SSH are all correct")
        func sixtyFourClones() throws {
            let host = try HostFixture.start(
                config:
                    "max_connections_per_address: 200\nmax_unauthenticated_per_address: 200\nmax_git_processes_per_identity: 64\n"
            )
            defer { host.stop() }
            let server = host.server
            let main = try host.expectOK(server.git(["ls-remote", server.sshURL("demo"), "refs/heads/main"], key: host.admin))
                .stdout.prefix(40)
            let results = ResultBox()
            DispatchQueue.concurrentPerform(iterations: 64) { i in
                let url = i % 2 == 0 ? server.sshURL("demo") : server.sshURL("demo", user: "anonymous")
                results.add(
                    i, try? server.git(["clone", "-q", url, server.root + "/c\(i)"], key: host.admin, timeout: 240))
            }
            let all = results.all
            #expect(all.count == 64)
            for (i, result) in all {
                #expect(result?.status == 0, "clone \(i): \(result?.output ?? "no result")")
                let head = try? server.git(["rev-parse", "HEAD"], in: server.root + "/c\(i)").stdout
                #expect(head?.hasPrefix(String(main)) == true, "clone \(i) has \(head ?? "nothing")")
            }
        }
    }
}

extension EndToEnd.SSHKeyTypesTests {
    /// The host key is the Ed25519 key earlier versions made (raw bytes in DATA/ssh_host_ed25519_key): libssh gets it
    /// in OpenSSH format, so clients see the key they knew.
    @Test("clients see the host key of DATA/ssh_host_ed25519_key.pub; its OpenSSH form is the same key")
    func hostKeyKept() throws {
        let host = try HostFixture.start(createDemo: false)
        defer { host.stop() }
        let server = host.server
        let scanned = try HostCommandRunner.run(
            ["ssh-keyscan", "-t", "ed25519", "-p", "\(server.sshPort)", "127.0.0.1"], environment: server.environment)
        let published = try String(contentsOfFile: server.data + "/ssh_host_ed25519_key.pub", encoding: .utf8)
        let publishedKey = published.split(separator: " ").prefix(2).joined(separator: " ")
        #expect(!publishedKey.isEmpty)
        #expect(scanned.stdout.contains(publishedKey), "scanned: \(scanned.output)")
        // The OpenSSH private-key form (what libssh loads) derives the same public key with ssh-keygen.
        let raw = try Data(contentsOf: URL(fileURLWithPath: server.data + "/ssh_host_ed25519_key"))
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        let pemPath = server.root + "/host-key-openssh"
        try HostKey.openSSHPrivateKey(of: key).write(toFile: pemPath, atomically: true, encoding: .utf8)
        chmod(pemPath, 0o600)
        let derived = try HostCommandRunner.run(["ssh-keygen", "-y", "-f", pemPath], environment: server.environment)
        #expect(derived.stdout.hasPrefix(publishedKey), "\(derived.output)")
    }
}
