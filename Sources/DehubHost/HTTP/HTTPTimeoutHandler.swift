import Hummingbird
import Logging
import NIOCore
import NIOHTTPTypes

/// Applies `HTTPRequestClock`'s deadlines to one connection: a head that does not arrive in time gets
/// `408 Request Timeout` and the connection is closed; a body that stalls closes the connection (git's run
/// sees its input fail and is killed). It sits after the HTTP decoder, so it sees whole request parts, and
/// before Hummingbird's stream, so it sees each time the host asks for more bytes (`read`).
final class HTTPTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var clock: HTTPRequestClock
    private var scheduled: Scheduled<Void>?
    private var scheduledAt: ContinuousClock.Instant?
    private let logger: Logger

    init(headTimeout: Duration, bodyTimeout: Duration, logger: Logger) {
        self.clock = HTTPRequestClock(headTimeout: headTimeout, bodyTimeout: bodyTimeout, now: .now)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { evaluate(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelTimer() }

    func channelActive(context: ChannelHandlerContext) {
        evaluate(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: clock.headRead()
        case .body: clock.bodyRead()
        case .end: clock.endRead()
        }
        evaluate(context)
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        clock.readRequested(at: .now)
        evaluate(context)
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            clock.responseEnded(at: .now)
            evaluate(context)
        }
        context.write(data, promise: promise)
    }

    /// Acts on the clock's verdict: a timer at the next deadline (kept when an earlier one is set: it re-checks).
    private func evaluate(_ context: ChannelHandlerContext) {
        switch clock.check(at: .now) {
        case .none:
            break
        case .checkAt(let deadline):
            if let scheduledAt, scheduledAt <= deadline { return }
            cancelTimer()
            scheduledAt = deadline
            let delay = deadline - .now
            let nanoseconds = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
            scheduled = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .nanoseconds(max(0, nanoseconds))) {
                self.scheduled = nil
                self.scheduledAt = nil
                self.evaluate(context)
            }
        case .timedOut(let phase):
            cancelTimer()
            timedOut(phase, context: context)
        }
    }

    private func timedOut(_ phase: HTTPRequestClock.Phase, context: ChannelHandlerContext) {
        let peer = context.channel.remoteAddress.map { "\($0)" } ?? "?"
        switch phase {
        case .head:
            logger.info(
                "http request head timeout", metadata: ["peer": "\(peer)", "seconds": "\(clock.headTimeout.components.seconds)"])
            let message = "no request within \(clock.headTimeout.components.seconds) seconds\n"
            let head = HTTPResponse(
                status: .requestTimeout,
                headerFields: [
                    .connection: "close", .contentType: "text/plain; charset=utf-8", .contentLength: "\(message.utf8.count)",
                ])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(string: message))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
        case .body:
            logger.info(
                "http request body timeout", metadata: ["peer": "\(peer)", "seconds": "\(clock.bodyTimeout.components.seconds)"])
            context.close(promise: nil)
        case .responding:
            break
        }
    }

    private func cancelTimer() {
        scheduled?.cancel()
        scheduled = nil
        scheduledAt = nil
    }
}

@available(*, unavailable)
extension HTTPTimeoutHandler: Sendable {}
