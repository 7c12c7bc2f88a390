import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel with the host's `ConnectionGuardHandler` in front of it (caps on open
/// and half-open connections, the handshake timeout) and a `FirstRequestHeadHandler` behind the codec.
struct GuardedHTTP1Channel: ServerChildChannel {
    let base: HTTP1Channel
    let connections: ConnectionGuard
    let handshakeTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(
                ConnectionGuardHandler(
                    connections: connections, transport: .http, handshakeTimeout: handshakeTimeout))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Behind the HTTP codec: the first thing it decodes is a full request head; from then on the connection is no
/// longer half-open.
final class FirstRequestHeadHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.pipeline.syncOperations.markConnectionAuthenticated()
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
