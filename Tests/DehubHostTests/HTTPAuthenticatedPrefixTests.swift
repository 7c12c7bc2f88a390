import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `/auth/NAME.git`: git sends a token only after a 401, and a public repository never answers one, so the
    /// token of a member pushing to a public repository was never sent and the member counted as anonymous.
    @Suite("HTTP tokens under /auth/, end to end")
    struct HTTPAuthenticatedPrefixTests {
        static func token(_ server: HostTestServer, name: String, key: String) throws -> String {
            let result = try HostCommandRunner.run(
                [HostTestServer.binary(), "token", "create", name, "--key", key + ".pub", "--data", server.data],
                environment: server.environment)
            guard result.status == 0 else { throw HostTestError("token create failed: \(result.output)") }
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        @Test("/auth/ always challenges without valid credentials; the plain URL stays anonymous")
        func challenge() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            let token = try Self.token(server, name: "admin", key: host.admin)
            func answer(_ path: String, credentials: String?) throws -> String {
                var arguments = ["curl", "-s", "-D", "-", "-o", "/dev/null"]
                if let credentials { arguments += ["-u", credentials] }
                return try HostCommandRunner.run(
                    arguments + ["http://127.0.0.1:\(server.httpPort)\(path)"],
                    environment: server.environment
                ).stdout
            }
            let refs = "/info/refs?service=git-receive-pack"
            let anonymous = try answer("/auth/demo.git" + refs, credentials: nil)
            #expect(anonymous.hasPrefix("HTTP/1.1 401"), "\(anonymous)")
            #expect(anonymous.lowercased().contains("www-authenticate: basic"), "\(anonymous)")
            #expect(try answer("/auth/demo.git" + refs, credentials: "x:dehub_wrong").hasPrefix("HTTP/1.1 401"))
            #expect(try answer("/auth/demo.git" + refs, credentials: "x:\(token)").hasPrefix("HTTP/1.1 200"))
            #expect(try answer("/demo.git" + refs, credentials: nil).hasPrefix("HTTP/1.1 200"))
            // git itself: the token goes out after the challenge; anonymous clones of the plain URL still work.
            let authURL = "http://x:\(token)@127.0.0.1:\(server.httpPort)/auth/demo.git"
            try host.expectOK(server.git(["clone", "-q", authURL, server.root + "/with-token"]))
            try host.expectOK(server.git(["clone", "-q", server.httpURL("demo"), server.root + "/anonymous"]))
            let refused = try server.git([
                "clone", "-q", "http://127.0.0.1:\(server.httpPort)/auth/demo.git", server.root + "/nope",
            ])
            #expect(refused.status != 0)
        }
    }
}

extension EndToEnd.RealHookTests {
    @Test("a member deletes a thread branch over HTTP with a token under /auth/; anonymously the deletion is refused")
    func memberDeletesOverHTTPWithToken() throws {
        let world = try World.start()
        defer { world.stop() }
        let s = world.scenario, team = world.team, server = world.server
        try s.git("switch", "-q", "-c", "idea")
        try s.change("An idea", by: team.c, files: ["idea.txt": "idea\n"])
        try world.expectOK(world.push(["idea"], over: server.httpURL("project")))
        #expect(!(try world.hostRef("idea")).isEmpty)
        let token = try EndToEnd.HTTPAuthenticatedPrefixTests.token(server, name: "bob", key: team.bob.privateKeyPath)
        // The token on the plain URL is never sent (no 401 on a public repo): bob is anonymous and refused.
        let plain = try world.push([":idea"], over: "http://x:\(token)@127.0.0.1:\(server.httpPort)/project.git")
        #expect(plain.status != 0)
        #expect(plain.stderr.contains("deleting 'idea' is refused"), "\(plain.output)")
        try world.expectOK(world.push([":idea"], over: "http://x:\(token)@127.0.0.1:\(server.httpPort)/auth/project.git"))
        #expect(try world.hostRef("idea").isEmpty)
        // Anonymous clones of the plain URL still work.
        try world.expectOK(server.git(["clone", "-q", server.httpURL("project"), server.root + "/anonymous"]))
    }
}
