import Crypto
import Logging
import NIOCore
import NIOPosix
import NIOSSH
import ServiceLifecycle

/// Closes a connection that has been idle (no read, no write) for the configured time.
final class IdleCloseHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

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

    public init(services: HostServices, address: HostAddress, hostKey: Curve25519.Signing.PrivateKey,
                onListening: @escaping @Sendable (Int) async -> Void) {
        self.services = services
        self.address = address
        self.hostKey = hostKey
        self.onListening = onListening
    }

    public func run() async throws {
        let services = self.services
        let sessions = self.sessions
        let nioHostKey = NIOSSHPrivateKey(ed25519Key: hostKey)
        let idle = TimeAmount.seconds(Int64(services.config.idleTimeoutSeconds))
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                sessions.add(channel)
                let connection = SSHConnectionIdentity()
                let delegate = SSHAuthDelegate(connection: connection, anonymousUser: services.config.anonymousSSHUser)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(QuickAckHandler())
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idle))
                    try channel.pipeline.syncOperations.addHandler(IdleCloseHandler())
                    try channel.pipeline.syncOperations.addHandler(NIOSSHHandler(
                        role: .server(.init(hostKeys: [nioHostKey], userAuthDelegate: delegate)),
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
                    try channel.pipeline.syncOperations.addHandler(IdleCloseHandler())
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
