import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Caps on connections, half-open connections and SSH sessions, driven by clients that misbehave on purpose
    /// from other source addresses (127.0.0.2 and up; the admin is 127.0.0.1), then a normal clone.
    @Suite("Connection limits, end to end")
    struct ConnectionLimitTests {
        /// The admin clones `demo` over SSH and over HTTP; returns the seconds each took.
        static func adminClones(_ host: HostFixture, tag: String) throws -> (ssh: Double, http: Double) {
            let server = host.server
            let ssh = try seconds { _ = try host.clone(server.sshURL("demo"), to: "\(tag)-ssh", key: host.admin) }
            let http = try seconds { _ = try host.clone(server.httpURL("demo"), to: "\(tag)-http", key: nil) }
            print(
                "figure: admin clone under \(tag): ssh \(String(format: "%.2f", ssh)) s, http \(String(format: "%.2f", http)) s")
            return (ssh, http)
        }

        @Test("an address over its connection cap is refused with the limit's name (SSH disconnect, HTTP 503)")
        func perAddressRefusal() throws {
            let host = try HostFixture.start(createDemo: false, config: "max_connections_per_address: 3\n")
            defer { host.stop() }
            let server = host.server
            let held = (0..<3).compactMap { _ in RawConnection(source: "127.0.0.2", port: server.sshPort) }
            #expect(held.count == 3)
            let refused = try HostCommandRunner.run(
                ["sh", "-c", server.sshCommand(key: nil) + " -b 127.0.0.2 anonymous@127.0.0.1 whoami"],
                environment: server.environment)
            #expect(refused.status == 255)
            #expect(
                refused.stderr.contains("too many connections from your address (max_connections_per_address: 3)"),
                "\(refused.stderr)")
            let curl = try HostCommandRunner.run(
                ["curl", "-s", "--interface", "127.0.0.2", "-w", "\n%{http_code}", "http://127.0.0.1:\(server.httpPort)/"],
                environment: server.environment)
            #expect(curl.stdout.hasSuffix("\n503"), "\(curl.stdout)")
            #expect(curl.stdout.contains("too many connections from your address (max_connections_per_address: 3)"))
            // Another address is served at once.
            let who = try host.expectOK(server.ssh(["whoami"], key: host.admin))
            #expect(who.stdout.contains("(admin)"))
        }

        /// Attack: 64 HTTP connections that send half a request head and stop (from one address), plus one SSH
        /// connection that opens 40 sessions, each running an upload-pack that waits forever (from another).
        @Test("64 half-open HTTP requests and one SSH connection opening 40 sessions do not stop an admin's clone")
        func halfOpenAndSessionFlood() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            let idle = try Self.adminClones(host, tag: "idle host")
            let halfOpen = (0..<64).compactMap { _ -> RawConnection? in
                let connection = RawConnection(source: "127.0.0.2", port: server.httpPort)
                connection?.send("GET /demo.git/info/refs?service=git-upload-pack HTTP/1.1\r\nHost: x\r\n")
                return connection
            }
            let socket = server.root + "/mux"
            let master = try BackgroundClient(
                ["sh", "-c", server.sshCommand(key: nil) + " -b 127.0.0.3 -M -S \(socket) -N anonymous@127.0.0.1"],
                environment: server.environment, directory: server.root)
            defer { master.stop() }
            for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) { usleep(100_000) }
            let sessions = try (0..<40).map { _ in
                try BackgroundClient(
                    ["sh", "-c", server.sshCommand(key: nil) + " -S \(socket) anonymous@127.0.0.1 git-upload-pack demo.git"],
                    environment: server.environment, directory: server.root)
            }
            defer { sessions.forEach { $0.stop() } }
            // Sessions over the connection's share are answered at once; the rest wait for wants.
            let deadline = Date().addingTimeInterval(30)
            func refusedSessions() -> Int {
                sessions.filter {
                    $0.process.poll() != nil
                        && $0.stderr.contains("too many sessions on this connection (ssh_max_sessions_per_connection: 4)")
                }.count
            }
            while refusedSessions() < 36, Date() < deadline { usleep(100_000) }
            let refused = refusedSessions()
            #expect(refused >= 36, "sessions refused: \(refused)")
            let attacked = try Self.adminClones(host, tag: "64 half-open HTTP + 40-session SSH flood")
            #expect(attacked.ssh < 60 && attacked.http < 60, "idle: \(idle)")
            let refusedHalfOpen = halfOpen.filter { $0.readAll(timeout: 0.2).text.contains("503") }.count
            print("figure: half-open HTTP connections refused with 503: \(refusedHalfOpen) of \(halfOpen.count)")
        }

        /// Attack: 2,000 TCP connections that never send a byte, from 100 addresses, to both ports.
        @Test("2,000 idle connections do not stop a clone; most of them are refused or cut")
        func idleFlood() throws {
            let limit = raiseOpenFileLimit()
            #expect(limit >= 4096, "the open-file limit is \(limit)")
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            var flood: [RawConnection] = []
            let opening = seconds {
                for i in 0..<2000 {
                    let source = "127.0.1.\(1 + i % 100)"
                    if let connection = RawConnection(
                        source: source, port: i % 2 == 0 ? server.sshPort : server.httpPort, timeout: 2)
                    {
                        flood.append(connection)
                    }
                }
            }
            print("figure: opened \(flood.count) idle connections in \(String(format: "%.1f", opening)) s")
            let attacked = try Self.adminClones(host, tag: "2000 idle connections")
            #expect(attacked.ssh < 60 && attacked.http < 60)
            let closed = flood.filter(\.isClosedByPeer).count
            print("figure: of \(flood.count) idle connections, \(closed) were refused or cut by the host")
            #expect(closed >= flood.count / 2)
        }
    }
}
