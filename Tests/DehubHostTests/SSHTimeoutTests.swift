import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The phases of an SSH connection each have a time limit, and SSH keepalives alone do not reset them.
    @Suite("SSH timeouts, end to end")
    struct SSHTimeoutTests {
        /// Attack: connect and send nothing (or half a request head), holding a connection and a half-open place.
        /// The host closes it at the handshake timeout.
        @Test("a client that connects and sends nothing is closed at the handshake timeout (SSH and HTTP)")
        func handshakeTimeout() throws {
            let host = try HostFixture.start(createDemo: false, config: "handshake_timeout_seconds: 2\n")
            defer { host.stop() }
            let ssh = try #require(RawConnection(source: "127.0.0.2", port: host.server.sshPort))
            let http = try #require(RawConnection(source: "127.0.0.2", port: host.server.httpPort))
            http.send("GET / HTTP/1.1\r\nHost: x\r\n")
            let sshSeen = ssh.readAll(timeout: 30)
            #expect(sshSeen.closed, "the SSH connection is still open after 30 s")
            #expect(sshSeen.text.hasPrefix("SSH-2.0-"))
            let httpSeen = http.readAll(timeout: 30)
            #expect(httpSeen.closed, "the HTTP connection is still open after 30 s")
            // The host still serves.
            try host.expectOK(host.server.ssh(["whoami"], key: host.admin))
        }

        /// Attack: a session kept open only with SSH keepalives (`ServerAliveInterval`), with no data either way,
        /// holding its git process. The idle timeout counts session data only, so it closes the connection and
        /// git's process group is killed.
        @Test("a session kept alive only with keepalives is closed at the idle timeout, and its git is gone")
        func keepalivesDoNotResetIdle() throws {
            let host = try HostFixture.start(config: "idle_timeout_seconds: 3\n")
            defer { host.stop() }
            let server = host.server
            let keepalive = " -o ServerAliveInterval=1 -o ServerAliveCountMax=1000 anonymous@127.0.0.1"
            // A connection without a session, and one whose upload-pack waits for wants that never come.
            let noSession = try BackgroundClient(["sh", "-c", server.sshCommand(key: nil) + " -N" + keepalive],
                                                 environment: server.environment, directory: server.root)
            let waiting = try BackgroundClient(["sh", "-c", server.sshCommand(key: nil) + keepalive + " git-upload-pack demo.git"],
                                               environment: server.environment, directory: server.root)
            defer { noSession.stop(); waiting.stop() }
            #expect(noSession.waitForExit(timeout: 40) != nil, "ssh -N with keepalives is still connected after 40 s")
            #expect(waiting.waitForExit(timeout: 40) != nil, "the waiting upload-pack session is still open after 40 s")
            #expect(!noSession.stderr.contains("Timeout, server not responding"), "\(noSession.stderr)")
            #expect(waiting.stdout.contains("refs/heads/main"), "upload-pack did start: \(waiting.stdout)")
            let left = ProcessLifecycleTests.waitUntilNoGit(under: server.data + "/repos/demo.git")
            #expect(left.isEmpty, "git processes left: \(left)")
            // An active clone is not idle.
            _ = try host.clone(server.sshURL("demo"), to: "clone", key: host.admin)
        }
    }
}
