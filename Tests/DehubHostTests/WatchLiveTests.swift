import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `dehub watch --foreground` against a real host (port 0), over HTTP and SSH, as a child with pipes: what a
    /// caller such as git-annex's assistant sees. Bounds are generous (the machine is shared); the figures printed
    /// are what was measured.
    @Suite("dehub watch, end to end")
    struct WatchLiveTests {
        static let changedMain = "CHANGED origin refs/heads/main"

        /// A clone of `demo` over `url` (its remote `origin`), with `dehub watch --foreground origin` running in it
        /// and connected.
        static func watch(_ host: HostFixture, url: String, name: String, key: String? = nil, foreground: Bool = true) throws
            -> WatchTestClient
        {
            let server = host.server
            let path = server.root + "/" + name
            _ = try server.git(["init", "-q", "-b", "main", path])
            _ = try server.git(["-C", path, "remote", "add", "origin", url])
            var environment = server.environment
            environment["GIT_SSH_COMMAND"] = server.sshCommand(key: key)
            return try WatchTestClient(in: path, remotes: ["origin"], environment: environment, foreground: foreground)
        }

        /// Commits in the seed work tree and pushes `refspec` as the admin over SSH; the push's end.
        @discardableResult
        static func push(_ host: HostFixture, _ refspec: String, message: String = "change: signed") throws -> Date {
            let seed = host.server.root + "/seed"
            try host.server.commit(in: seed, message: message)
            let result = try host.server.git(["push", "-q", host.server.sshURL("demo"), refspec], key: host.admin, in: seed)
            if message.contains("signed") { try host.expectOK(result) }
            return Date()
        }

        static func connected(_ client: WatchTestClient) -> Bool {
            client.waitForLine(timeout: 30) { $0 == "STATUS origin connected" } != nil
        }

        @Test func overHTTPASignedPushIsReportedARefusedOneIsNotAThreadBranchAndADeletionAre() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let client = try Self.watch(host, url: host.server.httpURL("demo"), name: "watch-http")
            defer { client.stop() }
            #expect(Self.connected(client), "\(client.lines) \(client.stderr)")
            let pushed = try Self.push(host, "HEAD:main")
            let line = client.waitForLine(timeout: 10) { $0 == Self.changedMain }
            #expect(line != nil, "\(client.lines) \(client.stderr)")
            print("watch over HTTP: CHANGED \(Int(Date().timeIntervalSince(pushed) * 1000)) ms after the push ended (or less)")
            // A push the hook refuses moves nothing: the next line is the thread branch pushed after it.
            let before = client.lines.count
            try Self.push(host, "HEAD:main", message: "change without a signature")
            _ = try host.server.git(["reset", "-q", "--hard", "HEAD~1"], in: host.server.root + "/seed")
            try Self.push(host, "HEAD:refs/heads/thread/idea")
            let next = client.waitForLine(after: before, timeout: 10) { $0.hasPrefix("CHANGED") }
            #expect(next == "CHANGED origin refs/heads/thread/idea", "\(client.lines)")
            let deletion = client.lines.count
            try host.expectOK(
                host.server.git(
                    ["push", "-q", host.server.sshURL("demo"), ":refs/heads/thread/idea"], key: host.admin,
                    in: host.server.root + "/seed"))
            #expect(client.waitForLine(after: deletion, timeout: 10) { $0 == "CHANGED origin refs/heads/thread/idea" } != nil)
            #expect(!client.lines.contains { $0.hasPrefix("ERROR") }, "\(client.lines)")
        }

        @Test func overSSHASignedPushIsReported() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            // Anonymous over SSH (a public repository): the user's ssh, as GIT_SSH_COMMAND says.
            let client = try Self.watch(host, url: host.server.sshURL("demo", user: "anonymous"), name: "watch-ssh")
            defer { client.stop() }
            #expect(Self.connected(client), "\(client.lines) \(client.stderr)")
            let pushed = try Self.push(host, "HEAD:main")
            #expect(client.waitForLine(timeout: 10) { $0 == Self.changedMain } != nil, "\(client.lines) \(client.stderr)")
            print("watch over SSH: CHANGED \(Int(Date().timeIntervalSince(pushed) * 1000)) ms after the push ended (or less)")
        }

        @Test func pausedItIsSilentResumedItReportsWhatItMissed() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let client = try Self.watch(host, url: host.server.httpURL("demo"), name: "watch-pause")
            defer { client.stop() }
            #expect(Self.connected(client))
            client.send("PAUSE")
            #expect(client.waitForLine(timeout: 10) { $0 == "STATUS origin paused" } != nil)
            let paused = client.lines.count
            try Self.push(host, "HEAD:main")
            Thread.sleep(forTimeInterval: 1.5)
            #expect(client.lines.count == paused, "paused, yet: \(client.lines.dropFirst(paused))")
            client.send("RESUME")
            #expect(client.waitForLine(after: paused, timeout: 15) { $0 == Self.changedMain } != nil, "\(client.lines)")
            // Unknown input is ignored with a note on stderr; the protocol on stdout stays clean.
            client.send("HELLO there")
            client.send("PUSH nosuchremote")
            #expect(client.waitForLine(timeout: 10) { $0 == "ERROR nosuchremote no such remote" } != nil)
            #expect(client.stderr.contains("dehub watch: ignored: unknown message 'HELLO'"))
        }

        @Test func theHostKilledAndRestartedItReconnectsAndReportsTheChangeOnce() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let client = try Self.watch(host, url: host.server.httpURL("demo"), name: "watch-restart")
            defer { client.stop() }
            #expect(Self.connected(client))
            try Self.push(host, "HEAD:main")
            #expect(client.waitForLine(timeout: 10) { $0 == Self.changedMain } != nil)
            let ports = (ssh: host.server.sshPort, http: host.server.httpPort)
            let killed = client.lines.count
            host.server.crash()
            #expect(
                client.waitForLine(after: killed, timeout: 20) { $0.hasPrefix("STATUS origin reconnecting in ") } != nil,
                "\(client.lines)")
            // A change made while the host is down (an admin on the server).
            let bare = host.server.data + "/repos/demo.git"
            try host.expectOK(host.server.git(["-C", bare, "update-ref", "refs/heads/offline", "refs/heads/main"]))
            try host.server.start(ports: ports)
            #expect(
                client.waitForLine(after: killed, timeout: 60) { $0 == "CHANGED origin refs/heads/offline" } != nil,
                "\(client.lines) \(client.stderr)")
            let after = client.lines.dropFirst(killed)
            #expect(!after.contains { $0.hasPrefix("CHANGED") && $0 != "CHANGED origin refs/heads/offline" }, "\(after)")
        }

        @Test func withoutForegroundItFetchesWhenTheRemoteChanges() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let client = try Self.watch(host, url: host.server.httpURL("demo"), name: "watch-act", foreground: false)
            defer { client.stop() }
            let clone = host.server.root + "/watch-act"
            #expect(
                HTTPMisbehavingClientTests.waitFor(seconds: 30) { client.stderr.contains("dehub watch: origin: connected") },
                "\(client.stderr)")
            try Self.push(host, "HEAD:main")
            let tip = try host.server.git(["-C", host.server.root + "/seed", "rev-parse", "HEAD"]).output
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let fetched = HTTPMisbehavingClientTests.waitFor(seconds: 20) {
                let result = try? host.server.git(["-C", clone, "rev-parse", "refs/remotes/origin/main"])
                return result?.output.trimmingCharacters(in: .whitespacesAndNewlines) == tip
            }
            #expect(fetched, "\(client.stderr)")
            #expect(client.lines.isEmpty, "stdout stays empty without --foreground: \(client.lines)")
        }

        @Test func aPrivateRepoWithoutATokenIsAnError() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            try host.expectOK(host.server.ssh(["repo", "create", "secret", "--private"], key: host.admin))
            let client = try Self.watch(host, url: host.server.httpURL("secret"), name: "watch-private")
            defer { client.stop() }
            let error = client.waitForLine(timeout: 20) { $0.hasPrefix("ERROR origin ") }
            #expect(error == "ERROR origin HTTP 401: repository not found, or authentication required", "\(client.lines)")
            #expect(client.waitForLine(timeout: 10) { $0.hasPrefix("STATUS origin reconnecting in ") } != nil)
            #expect(client.process.isRunning)
        }
    }
}
