import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Watchers that misbehave on purpose: one that never reads (it must be dropped with a message and never slow a
    /// push or another watcher), and a flood of watchers past `events_max_watchers` (refused by name, then served
    /// again once a place is free).
    @Suite("Misbehaving watchers, end to end")
    struct WatchMisbehavingTests {
        /// A raw SSE request; `receiveBuffer`: a tiny receive buffer, for a watcher that will never read.
        static func rawWatcher(port: Int, receiveBuffer: Int32? = nil) throws -> Int32 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw HostTestError("socket failed") }
            if var size = receiveBuffer {
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                close(fd)
                throw HostTestError("connect failed")
            }
            let request = Array("GET /demo.git/dehub/events HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            return fd
        }

        /// Everything the peer sends until it closes (true) or `timeout` seconds pass (false).
        static func drain(_ fd: Int32, timeout: Double) -> (text: String, closed: Bool) {
            var received: [UInt8] = []
            let deadline = Date().addingTimeInterval(timeout)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while Date() < deadline {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 200) > 0 else { continue }
                let count = recv(fd, &buffer, buffer.count, 0)
                if count <= 0 { return (String(decoding: received, as: UTF8.self), true) }
                received += buffer[0..<count]
            }
            return (String(decoding: received, as: UTF8.self), false)
        }

        @Test func aWatcherThatNeverReadsIsDroppedAndSlowsNothing() throws {
            let host = try HostFixture.start(config: "events_watcher_buffer: 8\n")
            defer { host.stop() }
            let server = host.server
            let normal = try WatchLiveTests.watch(host, url: server.httpURL("demo"), name: "watch-normal")
            defer { normal.stop() }
            #expect(WatchLiveTests.connected(normal))
            let stalled = try Self.rawWatcher(port: server.httpPort, receiveBuffer: 2048)
            defer { close(stalled) }
            Thread.sleep(forTimeInterval: 0.5)
            // One push that moves 300 refs with long names: about 600 KB of events, far more than the sockets hold.
            let seed = server.root + "/seed"
            let long = String(repeating: "x", count: 200)
            var script = ""
            for i in 0..<300 { script += "create refs/heads/flood/\(long)/\(long)/\(long)/\(i) HEAD\n" }
            try script.write(toFile: server.root + "/refs.txt", atomically: true, encoding: .utf8)
            try host.expectOK(
                HostCommandRunner.run(
                    ["sh", "-c", "git -C \"$1\" update-ref --stdin < \"$2\"", "sh", seed, server.root + "/refs.txt"],
                    environment: server.environment))
            let started = Date()
            try host.expectOK(
                server.git(
                    ["push", "-q", server.sshURL("demo"), "refs/heads/flood/*:refs/heads/flood/*"], key: host.admin, in: seed))
            print("push of 300 refs with a stalled watcher attached: \(Int(Date().timeIntervalSince(started) * 1000)) ms")
            #expect(normal.waitForLine(timeout: 30) { $0.hasPrefix("CHANGED origin refs/heads/flood/") } != nil)
            let (text, closed) = Self.drain(stalled, timeout: 30)
            #expect(closed, "the stalled watcher's connection is still open")
            #expect(
                text.contains("fell more than 8 changes behind (events_watcher_buffer) and was dropped"), "\(text.suffix(300))")
            // The host serves the next watcher at once.
            let again = try WatchLiveTests.watch(host, url: server.httpURL("demo"), name: "watch-again")
            defer { again.stop() }
            #expect(WatchLiveTests.connected(again))
        }

        @Test func watchersPastTheCapAreRefusedByNameThenServedWhenAPlaceIsFree() throws {
            let host = try HostFixture.start(config: "events_max_watchers: 4\nevents_keepalive_seconds: 1\n")
            defer { host.stop() }
            let server = host.server
            var connections: [RawHTTPConnection] = []
            for _ in 0..<3 {
                let connection = try RawHTTPConnection(port: server.httpPort)
                try connection.send("GET /demo.git/dehub/events HTTP/1.1\r\nHost: x\r\n\r\n")
                connections.append(connection)
            }
            let ssh = try BackgroundClient(
                ["sh", "-c", server.sshCommand(key: nil) + " anonymous@127.0.0.1 watch demo"], environment: server.environment,
                directory: server.root)
            defer { ssh.stop() }
            #expect(HTTPMisbehavingClientTests.waitFor(seconds: 20) { ssh.stdout.contains("READY") }, "\(ssh.stderr)")
            // The fifth, over HTTP and over SSH: refused, the setting named.
            let refused = try RawHTTPConnection(port: server.httpPort)
            try refused.send("GET /demo.git/dehub/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let answer = refused.readUntilClosed(seconds: 20) ?? ""
            #expect(answer.hasPrefix("HTTP/1.1 503"), "\(answer)")
            #expect(answer.contains("the host serves its maximum of 4 watchers (events_max_watchers); try again later"))
            let sshRefused = try server.ssh(["watch", "demo"], key: nil, user: "anonymous", timeout: 30)
            #expect(sshRefused.status == 1)
            #expect(sshRefused.output.contains("events_max_watchers"), "\(sshRefused.output)")
            // A push and a clone are not affected.
            try WatchLiveTests.push(host, "HEAD:main")
            try host.expectOK(server.git(["clone", "-q", server.httpURL("demo"), server.root + "/after-flood"]))
            // One leaves: within a few keep-alives its place is free.
            connections.removeFirst().close()
            let served = HTTPMisbehavingClientTests.waitFor(seconds: 20) {
                guard let probe = try? Self.rawWatcher(port: server.httpPort) else { return false }
                defer { close(probe) }
                return Self.drain(probe, timeout: 2).text.hasPrefix("HTTP/1.1 200")
            }
            #expect(served)
        }
    }
}
