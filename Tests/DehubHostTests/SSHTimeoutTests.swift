import DehubTestSupport
import Foundation
import NIOCore
import NIOPosix
import NIOSSH
import Testing

/// A minimal SSH client (swift-nio-ssh) for what OpenSSH will not do on purpose: open a session channel and
/// never ask for a command.
enum RawSSHClient {
    final class Anonymous: NIOSSHClientUserAuthenticationDelegate {
        private var offered = false
        func nextAuthenticationType(
            availableMethods: NIOSSHAvailableUserAuthenticationMethods,
            nextChallengePromise: EventLoopPromise<NIOSSHUserAuthenticationOffer?>
        ) {
            defer { offered = true }
            nextChallengePromise.succeed(
                offered ? nil : NIOSSHUserAuthenticationOffer(username: "anonymous", serviceName: "", offer: .none))
        }
    }

    final class AnyHostKey: NIOSSHClientServerAuthenticationDelegate {
        func validateHostKey(hostKey: NIOSSHPublicKey, validationCompletePromise: EventLoopPromise<Void>) {
            validationCompletePromise.succeed(())
        }
    }

    final class Ignore: ChannelInboundHandler {
        typealias InboundIn = SSHChannelData
    }

    /// Connects as `anonymous` and opens one session channel that asks for nothing; returns the connection
    /// and the channel.
    static func openIdleSession(port: Int) throws -> (connection: Channel, session: Channel) {
        let connection = try ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSHHandler(
                            role: .client(.init(userAuthDelegate: Anonymous(), serverAuthDelegate: AnyHostKey())),
                            allocator: channel.allocator, inboundChildChannelInitializer: nil))
                }
            }
            .connect(host: "127.0.0.1", port: port).wait()
        let session = try connection.pipeline.handler(type: NIOSSHHandler.self).flatMap { handler in
            let promise = connection.eventLoop.makePromise(of: Channel.self)
            handler.createChannel(promise, channelType: .session) { child, _ in
                child.pipeline.addHandler(Ignore())
            }
            return promise.futureResult
        }.wait()
        return (connection, session)
    }
}

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

        @Test("a connection that logged in (SSH) or sent a full request head (HTTP) is not cut by the handshake timeout")
        func handshakeTimeoutSparesTheRest() throws {
            let host = try HostFixture.start(config: "handshake_timeout_seconds: 2\n")
            defer { host.stop() }
            let server = host.server
            let waiting = try BackgroundClient(
                ["sh", "-c", server.sshCommand(key: host.admin) + " git@127.0.0.1 git-upload-pack demo.git"],
                environment: server.environment, directory: server.root)
            defer { waiting.stop() }
            let http = try #require(RawConnection(source: "127.0.0.2", port: server.httpPort))
            let request = "GET /demo.git/info/refs?service=git-upload-pack HTTP/1.1\r\nHost: x\r\n\r\n"
            http.send(request)
            let first = http.readAll(timeout: 2)
            #expect(first.text.hasPrefix("HTTP/1.1 200"), "\(first.text)")
            usleep(4_000_000)
            #expect(waiting.process.isRunning, "the logged-in SSH session was cut: \(waiting.stderr)")
            #expect(!http.isClosedByPeer, "the HTTP connection that sent a full request was cut")
            http.send(request)
            #expect(http.readAll(timeout: 5).text.hasPrefix("HTTP/1.1 200"))
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
            let noSession = try BackgroundClient(
                ["sh", "-c", server.sshCommand(key: nil) + " -N" + keepalive],
                environment: server.environment, directory: server.root)
            let waiting = try BackgroundClient(
                ["sh", "-c", server.sshCommand(key: nil) + keepalive + " git-upload-pack demo.git"],
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

        /// Attack: open a session channel (or many) and never ask for a command. The channel is closed at the
        /// session-request timeout; the connection itself stays until its own idle timeout.
        @Test("a session channel that asks for no command is closed at the session-request timeout")
        func sessionRequestTimeout() throws {
            let host = try HostFixture.start(createDemo: false, config: "ssh_session_request_timeout_seconds: 2\n")
            defer { host.stop() }
            let (connection, session) = try RawSSHClient.openIdleSession(port: host.server.sshPort)
            defer { connection.close(promise: nil) }
            let closed = DispatchSemaphore(value: 0)
            session.closeFuture.whenComplete { _ in closed.signal() }
            #expect(closed.wait(timeout: .now() + 30) == .success, "the idle session channel is still open after 30 s")
            #expect(connection.isActive, "the connection was closed with its session")
        }
    }
}
