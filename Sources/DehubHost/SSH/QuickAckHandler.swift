import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Acknowledges the client's packets at once (Linux `TCP_QUICKACK`) during the first reads of a connection.
///
/// The OpenSSH client keeps Nagle's algorithm on until its session is open, so during the key exchange and
/// authentication it holds each small packet until the previous one is acknowledged; the kernel, which
/// delays acknowledgements by up to 40 ms when the server has nothing to send back yet, then stalls every
/// round trip. `TCP_QUICKACK` is not sticky (the kernel drops back to delayed acks), so it is set again after
/// each read, and only for the handshake: later reads carry pack data, where delayed acks are right.
final class QuickAckHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Enough reads for version exchange, key exchange, authentication and the session's requests.
    static let handshakeReads = 24
    private var reads = 0

    #if os(Linux)
        private static let option = ChannelOptions.Types.SocketOption(level: .tcp, name: .init(rawValue: 12))  // TCP_QUICKACK
    #endif

    func channelActive(context: ChannelHandlerContext) {
        quickAck(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reads += 1
        quickAck(context)
        context.fireChannelRead(data)
        if reads >= Self.handshakeReads { context.pipeline.syncOperations.removeHandler(context: context, promise: nil) }
    }

    private func quickAck(_ context: ChannelHandlerContext) {
        #if os(Linux)
            context.channel.setOption(Self.option, value: 1).whenFailure { _ in }
        #endif
    }
}
