import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Smart HTTP against a real `dehub-host` on port 0, driven by real `git` and `curl`.
    @Suite("Smart HTTP, end to end")
    struct HTTPTransportTests {
        @Test("clone, fetch and ls-remote over HTTP", arguments: [0, 2])
        func cloneFetchLsRemote(protocolVersion: Int) throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            // Enough refs that git gzips its upload-pack request (> 1 KiB).
            let work = try server.makeWorkTree("many", message: "branches: signed")
            for i in 0..<60 { _ = try server.git(["branch", "topic-\(i)"], in: work) }
            try host.expectOK(server.git(["fetch", "-q", server.sshURL("demo"), "main"], key: host.admin, in: work))
            try host.expectOK(
                server.git(
                    ["push", "-q", server.sshURL("demo"), "refs/heads/topic-*:refs/heads/topic-*"], key: host.admin, in: work))

            let clone = try host.clone(server.httpURL("demo"), to: "clone", protocolVersion: protocolVersion)
            let log = try host.expectOK(server.git(["log", "--format=%s", "main"], in: clone))
            #expect(log.stdout.contains("root: signed"))
            let traced = try server.git(
                [
                    "-c", "protocol.version=\(protocolVersion)", "fetch", server.httpURL("demo"),
                    "refs/heads/*:refs/remotes/all/*",
                ],
                in: clone, extraEnvironment: ["GIT_TRACE_PACKET": "1", "GIT_TRACE_CURL": "1"])
            #expect(traced.status == 0)
            #expect(traced.stderr.contains("version 2") == (protocolVersion == 2))
            let remote = try host.expectOK(
                server.git(["-c", "protocol.version=\(protocolVersion)", "ls-remote", server.httpURL("demo")]))
            #expect(remote.stdout.contains("refs/heads/topic-59"))
            #expect(remote.stdout.contains("refs/heads/main"))
        }

        @Test("a verified push is accepted and an unverified one refused, with the hook's message, over HTTP")
        func pushThroughHook() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            let clone = try host.clone(server.httpURL("demo"), to: "clone")
            try server.commit(in: clone, message: "change: signed")
            try host.expectOK(server.git(["push", "-q", "origin", "main"], in: clone))

            try server.commit(in: clone, message: "change without a signature")
            let refused = try server.git(["push", "origin", "main"], in: clone)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("remote: \(HostHook.rejectionPrefix)"))
            #expect(refused.stderr.contains("pre-receive hook declined"))
            let heads = try host.expectOK(server.git(["ls-remote", server.httpURL("demo"), "refs/heads/main"]))
            let accepted = try host.expectOK(server.git(["rev-parse", "HEAD~1"], in: clone))
            #expect(heads.stdout.hasPrefix(accepted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        }

        @Test("a private repo is invisible to a stranger over HTTP, with or without a token")
        func privateRepoInvisible() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            try host.expectOK(server.ssh(["repo", "create", "secret", "--private"], key: host.admin))
            let strangerToken = try host.expectOK(
                HostCommandRunner.run(
                    [
                        HostTestServer.binary(), "token", "create", "stranger", "--key", host.stranger + ".pub", "--data",
                        server.data,
                    ],
                    environment: server.environment)
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let adminToken = try host.expectOK(
                HostCommandRunner.run(
                    [HostTestServer.binary(), "token", "create", "admin", "--key", host.admin + ".pub", "--data", server.data],
                    environment: server.environment)
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

            func status(_ path: String, token: String?) throws -> String {
                var arguments = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--path-as-is"]
                if let token { arguments += ["-u", "x:\(token)"] }
                return try HostCommandRunner.run(
                    arguments + ["http://127.0.0.1:\(server.httpPort)\(path)"],
                    environment: server.environment
                ).stdout
            }
            let refs = "/info/refs?service=git-upload-pack"
            #expect(try status("/secret.git" + refs, token: nil) == "401")
            #expect(try status("/secret.git" + refs, token: nil) == status("/nothing.git" + refs, token: nil))
            #expect(try status("/secret.git" + refs, token: strangerToken) == "404")
            #expect(try status("/secret.git" + refs, token: strangerToken) == status("/nothing.git" + refs, token: strangerToken))
            #expect(try status("/secret.git" + refs, token: adminToken) == "200")
            #expect(try status("/secret.git" + refs, token: "dehub_wrong") == "401")
            let index = try HostCommandRunner.run(
                ["curl", "-s", "http://127.0.0.1:\(server.httpPort)/"], environment: server.environment)
            #expect(index.stdout.contains("demo"))
            #expect(!index.stdout.contains("secret"))
            let clone = try server.git(["clone", server.httpURL("secret"), server.root + "/nope"])
            #expect(clone.status != 0)
        }

        @Test(
            "repo-name tricks over HTTP get the same answer as a missing repo",
            arguments: [
                "/../x.git", "/etc", "/.hidden.git", "/a/../../b.git", "/%2e%2e/x.git", "//etc/passwd",
                "/" + String(repeating: "a", count: 300) + ".git", "/demo.git/../../../etc",
            ])
        func nameTricks(path: String) throws {
            let host = try HostFixture.start(createDemo: false)
            defer { host.stop() }
            let url = "http://127.0.0.1:\(host.server.httpPort)\(path)/info/refs?service=git-upload-pack"
            let result = try HostCommandRunner.run(
                ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--path-as-is", url],
                environment: host.server.environment)
            #expect(["401", "404"].contains(result.stdout), "\(path) answered \(result.stdout)")
        }

        @Test("the first push to an empty repo is refused over HTTP, even for an admin's token")
        func firstPushNeedsSSH() throws {
            let host = try HostFixture.start(createDemo: false)
            defer { host.stop() }
            let server = host.server
            try host.expectOK(server.ssh(["repo", "create", "empty"], key: host.admin))
            let work = try server.makeWorkTree("work", message: "root: signed")
            let refused = try server.git(["push", server.httpURL("empty"), "main"], in: work)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("the first push (the root of trust) must come from an admin over SSH"))
            #expect(try server.git(["ls-remote", server.httpURL("empty")]).stdout.isEmpty)
        }
    }
}
