import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The smart HTTP listener as a service of the host's lifecycle.
public enum HTTPGitServer {
    /// - Parameter onListening: called with the bound port (useful with port 0).
    public static func make(
        services: HostServices, address: HostAddress, onListening: @escaping @Sendable (Int) async -> Void
    ) -> some Service {
        let configuration = HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                TCPNoDelayHandler(),
                FirstRequestHeadHandler(),
                HTTPHalfCloseHandler(),
                HTTPTimeoutHandler(
                    headTimeout: .seconds(services.config.requestHeadTimeoutSeconds),
                    bodyTimeout: .seconds(services.config.requestBodyTimeoutSeconds), logger: services.logger),
            ],
            idleTimeout: .seconds(Int64(services.config.idleTimeoutSeconds)))
        let connections = services.connections
        let handshake = TimeAmount.seconds(Int64(services.config.handshakeTimeoutSeconds))
        return Application(
            responder: GitHTTPResponder(services: services),
            server: HTTPServerBuilder { responder in
                GuardedHTTP1Channel(
                    base: HTTP1Channel(responder: responder, configuration: configuration),
                    connections: connections, handshakeTimeout: handshake)
            },
            configuration: ApplicationConfiguration(
                address: .hostname(address.host, port: address.port), serverName: "dehub-host"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? address.port) },
            logger: services.logger)
    }
}
