import Crypto
import Logging
import NIOCore
import NIOPosix
import NIOSSH
import ServiceLifecycle

/// Closes the connection on any error the SSH handler passes on.
final class CloseOnErrorHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The embedded SSH server as a service of the host's lifecycle.
public struct SSHGitServer: Service {
    let services: HostServices
    let address: HostAddress
    let hostKey: Curve25519.Signing.PrivateKey
    let onListening: @Sendable (Int) async -> Void
    let sessions = SSHSessionTracker()

    public init(
        services: HostServices, address: HostAddress, hostKey: Curve25519.Signing.PrivateKey,
        onListening: @escaping @Sendable (Int) async -> Void
    ) {
        self.services = services
        self.address = address
        self.hostKey = hostKey
        self.onListening = onListening
    }

    public func run() async throws {
        let services = self.services
        let sessions = self.sessions
        let nioHostKey = NIOSSHPrivateKey(ed25519Key: hostKey)
        let config = services.config
        let idle = TimeAmount.seconds(Int64(config.idleTimeoutSeconds))
        let handshake = TimeAmount.seconds(Int64(config.handshakeTimeoutSeconds))
        let knownKeys = services.knownKeys
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                sessions.add(channel)
                let connection = SSHConnection(channel: channel, maxSessions: config.sshMaxSessionsPerConnection)
                let delegate = SSHAuthDelegate(
                    connection: connection, anonymousUser: config.anonymousSSHUser,
                    knownKeys: knownKeys, logger: services.logger)
                var serverConfiguration = SSHServerConfiguration(hostKeys: [nioHostKey], userAuthDelegate: delegate)
                // Like OpenSSH's MaxAuthTries: enough for an agent with several keys, not for a key-guessing run.
                serverConfiguration.maxAuthAttempts = 20
                return channel.eventLoop.makeCompletedFuture {
                    // First: the connection caps (a refusal is an SSH disconnect with the limit's name) and the
                    // handshake timeout (log in within `handshake_timeout_seconds`).
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectionGuardHandler(
                            connections: services.connections, transport: .ssh, handshakeTimeout: handshake))
                    try channel.pipeline.syncOperations.addHandler(QuickAckHandler())
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSHHandler(
                            role: .server(serverConfiguration),
                            allocator: channel.allocator,
                            inboundChildChannelInitializer: { child, type in
                                guard case .session = type else {
                                    return child.eventLoop.makeFailedFuture(HostError(.refused, "only session channels"))
                                }
                                return child.eventLoop.makeCompletedFuture {
                                    try child.pipeline.syncOperations.addHandler(
                                        SSHSessionHandler(services: services, connection: connection, sessions: sessions))
                                }
                            }))
                    try channel.pipeline.syncOperations.addHandler(CloseOnErrorHandler())
                    // Idle: no session data either way for `idle_timeout_seconds` (keepalives do not count).
                    connection.watchIdleness(timeout: idle)
                }
            }
        let server = try await bootstrap.bind(host: address.host, port: address.port).get()
        await onListening(server.localAddress?.port ?? address.port)
        services.logger.info("ssh listening", metadata: ["address": "\(address.host):\(server.localAddress?.port ?? 0)"])
        await withGracefulShutdownHandler {
            try? await server.closeFuture.get()
        } onGracefulShutdown: {
            server.close(promise: nil)
        }
        await sessions.shutDown(grace: .seconds(services.config.shutdownGraceSeconds))
    }
}
