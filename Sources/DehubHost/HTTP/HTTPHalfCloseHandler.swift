import NIOCore

/// Hummingbird allows a client to half-close (send FIN and keep reading), so a client that went away in the middle
/// of a request would leave its connection open, its request queued for a git slot, and its git waiting for
/// input. A git client never half-closes, so the host takes a FIN as the client gone: the connection is closed,
/// which ends the request's wait and its git (see `GitRequestBody`, `ProcessLimiter.acquire(whileOpen:)`).
final class HTTPHalfCloseHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
