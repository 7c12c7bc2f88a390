import NIOCore

/// Sets `TCP_NODELAY` on each accepted HTTP connection (Hummingbird leaves Nagle on), so git's small
/// pkt-lines are not held back.
final class TCPNoDelayHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func handlerAdded(context: ChannelHandlerContext) {
        context.channel.setOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1).whenFailure { _ in }
    }
}
