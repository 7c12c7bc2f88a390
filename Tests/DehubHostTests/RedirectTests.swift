import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// C knows B as a peer (`peers:`). Asked over HTTP for a repository it lacks and B lists, C redirects git there;
    /// a private repository is never redirected: B does not list its private ones, and a repository C holds
    /// (private included) is answered by C as before.
    @Suite("Directory and redirects")
    struct RedirectTests {
        @Test("repos.json lists public repositories only, with their id and tip")
        func directoryListsPublicOnly() throws {
            let b = try HostFixture.start()
            defer { b.stop() }
            try b.expectOK(b.server.ssh(["repo", "create", "secret", "--private"], key: b.admin))
            let body = try curl(["http://127.0.0.1:\(b.server.httpPort)/.well-known/dehub/repos.json"], server: b.server)
            let json = try JSONSerialization.jsonObject(with: Data(body.stdout.utf8)) as? [String: Any]
            let repos = json?["repos"] as? [[String: Any]] ?? []
            #expect(repos.map { $0["name"] as? String } == ["demo"])
            let main = try b.expectOK(
                b.server.git(["--git-dir", b.server.data + "/repos/demo.git", "rev-parse", "main"])
            ).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(repos.first?["main"] as? String == main)
            #expect(repos.first?["id"] as? String == main, "a one-commit history is its own root")
            #expect(repos.first?["verified_at"] is String)
            #expect(repos.first?["mirror_of"] is NSNull)
            #expect(json?["version"] as? Int == 1)
            let post = try curl(
                [
                    "-X", "POST", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:\(b.server.httpPort)/.well-known/dehub/repos.json",
                ],
                server: b.server, fail: false)
            #expect(post.stdout == "405")
        }

        @Test(
            "C redirects a clone of a repository only B holds; pushes, private repositories and unknown names are not redirected")
        func redirectsToPeer() throws {
            let b = try HostFixture.start()
            defer { b.stop() }
            try b.expectOK(b.server.ssh(["repo", "create", "secret", "--private"], key: b.admin))
            try b.expectOK(b.server.ssh(["repo", "create", "shared"], key: b.admin))
            let work = try b.server.makeWorkTree("shared-seed", message: "shared: signed")
            try b.expectOK(b.server.git(["push", "-q", b.server.sshURL("shared"), "main"], key: b.admin, in: work))
            let peer = "http://127.0.0.1:\(b.server.httpPort)"
            let c = try HostFixture.start(createDemo: false, config: "peers: [\(peer)]\n")
            defer { c.stop() }
            // C holds a private `shared` of its own: never redirected, although B lists a public one.
            try c.expectOK(c.server.ssh(["repo", "create", "shared", "--private"], key: c.admin))

            let clone = try c.clone(c.server.httpURL("demo"), to: "demo-through-c")
            let head = try c.expectOK(c.server.git(["rev-parse", "HEAD"], in: clone)).stdout
            let onB = try c.expectOK(
                c.server.git(["--git-dir", b.server.data + "/repos/demo.git", "rev-parse", "main"])
            ).stdout
            #expect(head == onB)

            let advertisement = "http://127.0.0.1:\(c.server.httpPort)/demo.git/info/refs?service=git-upload-pack"
            let redirect = try curl(["-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", advertisement], server: c.server)
            #expect(redirect.stdout == "302 \(peer)/demo.git/info/refs?service=git-upload-pack")
            for (path, why) in [
                ("demo.git/info/refs?service=git-receive-pack", "a push"),
                ("secret.git/info/refs?service=git-upload-pack", "private on B, so not in its directory"),
                ("shared.git/info/refs?service=git-upload-pack", "private here"),
                ("nowhere.git/info/refs?service=git-upload-pack", "listed by no one"),
                ("auth/demo.git/info/refs?service=git-upload-pack", "under /auth"),
            ] {
                let answer = try curl(
                    ["-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(c.server.httpPort)/" + path],
                    server: c.server, fail: false)
                #expect(answer.stdout == "401", "\(path) (\(why)): \(answer.output)")
            }
            let anonymousClone = try c.server.git(["clone", "-q", c.server.httpURL("shared"), c.server.root + "/no"])
            #expect(anonymousClone.status != 0)
        }

        @Test("a peer that is down, or answers garbage, costs a bounded wait and no redirect")
        func deadPeer() throws {
            let dead = try RawListener()
            defer { dead.close() }
            let c = try HostFixture.start(createDemo: false, config: "peers: [http://127.0.0.1:\(dead.port)]\n")
            defer { c.stop() }
            let started = Date()
            let answer = try curl(
                [
                    "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:\(c.server.httpPort)/demo.git/info/refs?service=git-upload-pack",
                ],
                server: c.server, fail: false)
            #expect(answer.stdout == "401")
            #expect(Date().timeIntervalSince(started) < 30)
        }

        func curl(_ arguments: [String], server: HostTestServer, fail: Bool = true) throws -> HostCommandResult {
            let result = try HostCommandRunner.run(["curl", "-sS"] + arguments, environment: server.environment)
            if fail, result.status != 0 { throw HostTestError("curl failed: \(result.output)") }
            return result
        }
    }
}

/// A TCP listener that accepts and never answers (a peer that hangs).
final class RawListener: @unchecked Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw HostTestError("cannot listen: errno \(errno)") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(fd) }
}
