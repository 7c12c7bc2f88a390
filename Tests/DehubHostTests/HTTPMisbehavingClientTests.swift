import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Clients that stop, vanish or flood in the middle of a request. Each attack used to leave `git upload-pack` or
    /// `receive-pack` waiting for input and holding its slot until the host restarted (32 of them stopped every
    /// clone and push on both transports). Each test drives the attack with a raw socket (or a real git killed on
    /// purpose), then proves: within 5 s no git process of the request remains, a push's quarantine is gone, and a
    /// normal clone succeeds.
    @Suite("Misbehaving HTTP clients, end to end")
    struct HTTPMisbehavingClientTests {
        /// Short phase timeouts and a small body limit, so that each attack ends within the tests' bounds.
        static let config = """
            request_head_timeout_seconds: 5
            request_body_timeout_seconds: 3
            max_request_body_bytes: 1048576

            """

        static func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while !condition() {
                guard Date() < deadline else { return false }
                usleep(50_000)
            }
            return true
        }

        /// git processes of a request: those under the data dir, apart from ref advertisements.
        static func requestGit(_ server: HostTestServer) -> [String] {
            ProcessLifecycleTests.gitProcesses(under: server.data).filter { !$0.contains("--advertise-refs") }
        }

        static func quarantines(_ server: HostTestServer, repo: String = "demo") -> [String] {
            let objects = server.data + "/repos/\(repo).git/objects"
            return ((try? FileManager.default.contentsOfDirectory(atPath: objects)) ?? [])
                .filter { $0.hasPrefix("tmp_objdir-incoming-") || $0.hasPrefix("incoming-") }
        }

        /// After an attack: no git of the request within 5 s, no quarantine left, and a clone over HTTP succeeds.
        static func expectRecovered(_ host: HostFixture, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        {
            let server = host.server
            let gone = waitFor(seconds: 5) { requestGit(server).isEmpty }
            #expect(gone, "\(what): git processes left after 5 s: \(requestGit(server))", sourceLocation: sourceLocation)
            let removed = waitFor(seconds: 5) { quarantines(server).isEmpty }
            #expect(removed, "\(what): quarantine left after 5 s: \(quarantines(server))", sourceLocation: sourceLocation)
            let clone = try server.git(
                ["clone", "-q", server.httpURL("demo"), server.root + "/after-\(UUID().uuidString)"], timeout: 60)
            #expect(clone.status == 0, "\(what): clone after the attack: \(clone.output)", sourceLocation: sourceLocation)
        }

        static func rpcHead(_ service: String, repo: String = "demo", headers: [String]) -> String {
            (["POST /\(repo).git/\(service) HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/x-\(service)-request"]
                + headers).joined(separator: "\r\n") + "\r\n\r\n"
        }

        /// Opens a connection, sends the head of an upload-pack request and half a pkt-line, and waits until its git runs.
        static func stalledUploadPack(
            _ server: HostTestServer, headers: [String] = ["Transfer-Encoding: chunked"],
            chunked: Bool = true
        ) throws -> RawHTTPConnection {
            let connection = try RawHTTPConnection(port: server.httpPort)
            try connection.send(rpcHead("git-upload-pack", headers: headers))
            if chunked { try connection.sendChunk(Array("0032want".utf8)) } else { try connection.send("0032want") }
            let started = waitFor(seconds: 10) { requestGit(server).contains { $0.contains("upload-pack") } }
            guard started else { throw HostTestError("upload-pack did not start: \(server.lines)") }
            return connection
        }

        enum Stop: String, CaseIterable { case stall, close, reset }

        @Test(
            "an unfinished chunked body (half a pkt-line `0032want`) that stalls, closes or resets kills its git",
            arguments: Stop.allCases)
        func unfinishedChunkedBody(stop: Stop) throws {
            let host = try HostFixture.start(config: Self.config)
            defer { host.stop() }
            let connection = try Self.stalledUploadPack(host.server)
            switch stop {
            case .stall:
                // Nothing more: the body timeout (3 s) closes the connection.
                #expect(connection.readUntilClosed(seconds: 10) != nil, "the connection was not closed")
            case .close: connection.close()
            case .reset: connection.reset()
            }
            try Self.expectRecovered(host, "\(stop)")
        }

        @Test("a body shorter than its Content-Length, then an early close, kills its git")
        func earlyClose() throws {
            let host = try HostFixture.start(config: Self.config)
            defer { host.stop() }
            let connection = try Self.stalledUploadPack(host.server, headers: ["Content-Length: 100000"], chunked: false)
            connection.close()
            try Self.expectRecovered(host, "early close")
        }

        @Test("a request head that never ends gets 408 and is closed")
        func headTimeout() throws {
            let host = try HostFixture.start(config: Self.config)
            defer { host.stop() }
            let connection = try RawHTTPConnection(port: host.server.httpPort)
            try connection.send("GET /demo.git/info/refs?service=git-upload-pack HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            let answer = connection.readUntilClosed(seconds: 15)
            #expect(answer?.hasPrefix("HTTP/1.1 408") == true, "\(answer ?? "no answer: the connection stayed open")")
        }

        @Test("an announced body over max_request_body_bytes gets 413 before git starts")
        func announcedOverLimit() throws {
            let host = try HostFixture.start(config: Self.config)
            defer { host.stop() }
            let connection = try RawHTTPConnection(port: host.server.httpPort)
            try connection.send(Self.rpcHead("git-upload-pack", headers: ["Content-Length: 2000000", "Connection: close"]))
            let answer = connection.readUntilClosed(seconds: 15) ?? ""
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer)")
            #expect(answer.contains("larger than the limit of 1048576 bytes"), "\(answer)")
        }

        @Test("a chunked push over max_request_body_bytes is cut: git killed, quarantine removed")
        func chunkedPushOverLimit() throws {
            let host = try HostFixture.start(config: Self.config)
            defer { host.stop() }
            let server = host.server
            let work = try host.clone(server.httpURL("demo"), to: "work")
            try randomData(megabytes: 3).write(to: URL(fileURLWithPath: work + "/big.bin"))
            _ = try server.git(["add", "-A"], in: work)
            _ = try server.git(["commit", "-q", "-m", "big: signed"], in: work)
            // A pack over http.postBuffer (1 MiB) goes out chunked, without a Content-Length.
            let push = try server.git(["push", "origin", "main"], in: work, timeout: 60)
            #expect(push.status != 0)
            try Self.expectRecovered(host, "chunked push over the limit")
        }

        enum Bomb: String, CaseIterable { case uploadPackWants, receivePackPack, receivePackZeros }

        /// `body` gzipped by the system's gzip.
        static func gzip(_ body: [UInt8], in server: HostTestServer) throws -> [UInt8] {
            let path = server.root + "/bomb-\(UUID().uuidString)"
            try Data(body).write(to: URL(fileURLWithPath: path))
            let result = try HostCommandRunner.run(
                ["sh", "-c", "gzip -9 -c \"$1\" > \"$1.gz\"", "sh", path], environment: server.environment)
            guard result.status == 0 else { throw HostTestError("gzip failed: \(result.output)") }
            return Array(try Data(contentsOf: URL(fileURLWithPath: path + ".gz")))
        }

        static func pktLine(_ text: String) -> [UInt8] {
            let payload = Array(text.utf8)
            let hex = String(payload.count + 4, radix: 16)
            return Array((String(repeating: "0", count: 4 - hex.count) + hex).utf8) + payload
        }

        /// A few KiB that decode to 8 MiB git keeps reading: valid `want` lines, a valid pack, or zeros.
        static func bombBody(_ bomb: Bomb, host: HostFixture) throws -> [UInt8] {
            let server = host.server
            let main = try host.expectOK(server.git(["--git-dir", server.data + "/repos/demo.git", "rev-parse", "main"])).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let size = 8 << 20
            switch bomb {
            case .uploadPackWants:
                let line = pktLine("want \(main)\n")
                return try gzip(Array([[UInt8]](repeating: line, count: size / line.count).joined()), in: server)
            case .receivePackZeros:
                return try gzip([UInt8](repeating: 0, count: size), in: server)
            case .receivePackPack:
                // One 8 MiB blob of one repeated byte, stored without compression (pack.compression=0).
                let scratch = server.root + "/bomb-repo"
                _ = try server.git(["init", "-q", "--bare", scratch])
                try Data(repeating: UInt8(ascii: "a"), count: size).write(to: URL(fileURLWithPath: server.root + "/a.bin"))
                let blob = try host.expectOK(server.git(["--git-dir", scratch, "hash-object", "-w", server.root + "/a.bin"]))
                    .stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                try Data((blob + "\n").utf8).write(to: URL(fileURLWithPath: server.root + "/objects.txt"))
                let pack = try HostCommandRunner.run(
                    [
                        "sh", "-c", "git --git-dir \"$1\" -c pack.compression=0 pack-objects --stdout < \"$2\" > \"$3\"", "sh",
                        scratch, server.root + "/objects.txt", server.root + "/bomb.pack",
                    ], environment: server.environment)
                guard pack.status == 0 else { throw HostTestError("pack-objects failed: \(pack.output)") }
                let zero = String(repeating: "0", count: 40)
                let commands = pktLine("\(zero) \(blob) refs/heads/bomb\0report-status\n") + Array("0000".utf8)
                return try gzip(
                    commands + Array(try Data(contentsOf: URL(fileURLWithPath: server.root + "/bomb.pack"))), in: server)
            }
        }

        @Test("a gzip bomb: git is killed and the response completes or the connection closes", arguments: Bomb.allCases)
        func gzipBomb(bomb: Bomb) throws {
            let host = try HostFixture.start(config: Self.config)
            defer { host.stop() }
            let body = try Self.bombBody(bomb, host: host)
            #expect(body.count < 64 * 1024)
            let service = bomb == .uploadPackWants ? "git-upload-pack" : "git-receive-pack"
            let connection = try RawHTTPConnection(port: host.server.httpPort)
            try connection.send(Self.rpcHead(service, headers: ["Content-Encoding: gzip", "Content-Length: \(body.count)"]))
            try connection.send(body)
            // The answer ends, or the connection closes, within the bound: never a response left hanging.
            #expect(connection.readUntilClosed(seconds: 10) != nil, "\(bomb): the response neither completed nor closed")
            try Self.expectRecovered(host, "\(bomb)")
        }

        @Test(
            "a 50 MB git push killed mid-pack: its git and its quarantine are gone within 5 s (HTTP and SSH)",
            arguments: ["http", "ssh"])
        func killedPush(transport: String) throws {
            let host = try HostFixture.start(config: "max_request_body_bytes: 1073741824\n")
            defer { host.stop() }
            let server = host.server
            let work = try host.clone(server.sshURL("demo"), to: "work", key: host.admin)
            try randomData(megabytes: 50).write(to: URL(fileURLWithPath: work + "/big.bin"))
            _ = try server.git(["add", "-A"], in: work)
            _ = try server.git(["commit", "-q", "-m", "big: signed"], in: work)
            let url = transport == "ssh" ? server.sshURL("demo") : server.httpURL("demo")
            var environment = server.environment
            environment["GIT_SSH_COMMAND"] = server.sshCommand(key: host.admin)
            let null = open("/dev/null", O_RDWR)
            defer { close(null) }
            let push = try ChildProcess(
                "git", ["push", "-q", url, "main"], environment: environment, directory: work,
                stdin: null, stdout: null, stderr: null)
            defer { push.killAndWait() }
            // Kill the client once the pack is streaming into the host's quarantine.
            let streaming = Self.waitFor(seconds: 60) { !Self.quarantines(server).isEmpty }
            #expect(streaming, "the push never reached the quarantine")
            usleep(100_000)
            #expect(push.isRunning, "the push ended before it was killed")
            push.killAndWait()
            try Self.expectRecovered(host, "killed \(transport) push")
        }

        @Test("a client that goes away while queued for a git slot leaves the queue at once")
        func queuedClientLeaves() throws {
            let host = try HostFixture.start(
                config: "max_git_processes: 1\nmax_queued_requests: 1\nrequest_body_timeout_seconds: 60\n")
            defer { host.stop() }
            let server = host.server
            let holder = try Self.stalledUploadPack(server)  // holds the only slot
            let queued = try RawHTTPConnection(port: server.httpPort)
            try queued.send(Self.rpcHead("git-upload-pack", headers: ["Content-Length: 4"]) + "0000")
            usleep(500_000)
            queued.close()
            usleep(500_000)
            // The queue has room again: this request waits instead of being refused as busy, and is served once the
            // slot is free.
            let next = try RawHTTPConnection(port: server.httpPort)
            try next.send(Self.rpcHead("git-upload-pack", headers: ["Content-Length: 4", "Connection: close"]) + "0000")
            usleep(500_000)
            holder.reset()
            let answer = next.readUntilClosed(seconds: 15) ?? ""
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        }

        /// Anonymous requests may take every slot but the reserve (`reserved_git_processes`, here 1 of 4); the admin's
        /// clone over SSH takes the reserved one, and an anonymous clone over HTTP gets a slot once the stalled
        /// requests' body timeout frees theirs.
        @Test(
            "every git slot anonymous requests may take held by stalled requests: an admin's clone still succeeds within 60 s",
            arguments: ["ssh", "http"])
        func slotsFilledByStalledRequests(transport: String) throws {
            let host = try HostFixture.start(config: Self.config + "max_git_processes: 4\nmax_queued_requests: 64\n")
            defer { host.stop() }
            let server = host.server
            let attack = StalledRequestFlood(port: server.httpPort, connections: 8)
            attack.start()
            defer { attack.stop() }
            #expect(Self.waitFor(seconds: 20) { Self.requestGit(server).count >= 3 }, "the attack did not fill the slots")
            let started = Date()
            let url = transport == "ssh" ? server.sshURL("demo") : server.httpURL("demo")
            var clone = try server.git(["clone", "-q", url, server.root + "/admin-clone"], key: host.admin, timeout: 60)
            // Over HTTP the clone is anonymous and races the flood (from the same address) for every freed slot; one
            // run in four or so, its connection is refused, reset or cut on the first try (seen before this change
            // too, at 70d538c; not yet explained). What is claimed is service within 60 s: it may try again.
            var attempts = 1
            while transport == "http", clone.status != 0, Date().timeIntervalSince(started) < 50 {
                attempts += 1
                clone = try server.git(
                    ["clone", "-q", url, server.root + "/admin-clone-\(attempts)"], key: host.admin, timeout: 60)
            }
            #expect(clone.status == 0, "after \(attempts) attempt(s): \(clone.output)")
            #expect(Date().timeIntervalSince(started) < 60)
        }
    }
}

/// Keeps `connections` stalled upload-pack requests open (half a pkt-line, then silence), opening a new one
/// whenever the host closes one, until stopped.
final class StalledRequestFlood: @unchecked Sendable {
    let port: Int
    let connections: Int
    private let lock = NSLock()
    private var running = true
    private var threads: [Thread] = []
    private let done = DispatchGroup()

    init(port: Int, connections: Int) {
        self.port = port
        self.connections = connections
    }

    var isRunning: Bool { lock.withLock { running } }

    func start() {
        for _ in 0..<connections {
            done.enter()
            Thread.detachNewThread { [self] in
                defer { done.leave() }
                while isRunning {
                    guard let connection = try? RawHTTPConnection(port: port) else { usleep(100_000); continue }
                    let head = EndToEnd.HTTPMisbehavingClientTests.rpcHead(
                        "git-upload-pack", headers: ["Transfer-Encoding: chunked"])
                    try? connection.send(head)
                    try? connection.sendChunk(Array("0032want".utf8))
                    // Wait until the host closes it (1 s at a time, to notice stop()).
                    while isRunning, connection.readUntilClosed(seconds: 1) == nil {}
                }
            }
        }
    }

    func stop() {
        lock.withLock { running = false }
        done.wait()
    }
}
