import NIOCore

/// The first handler of every connection (SSH and HTTP): admits it through the `ConnectionGuard`, or answers
/// with the limit it hit and closes; closes it when it has not authenticated (SSH) or sent a full request head
/// (HTTP) within the handshake timeout; and gives its place back when it closes.
final class ConnectionGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How a refusal reaches the client before any protocol has started.
    enum Transport {
        /// An SSH version line and an unencrypted `SSH_MSG_DISCONNECT` (OpenSSH prints "Received disconnect ...").
        case ssh
        /// `503 Service Unavailable` with a text body (git prints it as `remote: ...` or as the error).
        case http
    }

    /// Sent to a connection's pipeline to cut it to make room for a newer one.
    struct Evicted: Sendable {
        let refusal: ConnectionRefusal
    }

    private enum State {
        case new
        /// Admitted, not authenticated yet; closed when `deadline` fires.
        case handshaking(id: UInt64, deadline: Scheduled<Void>?)
        case authenticated(id: UInt64)
        /// Refused: the answer is out, the connection closes; nothing more is read.
        case refused
        case closed
    }

    private let connections: ConnectionGuard
    private let transport: Transport
    private let handshakeTimeout: TimeAmount
    private var state = State.new

    init(connections: ConnectionGuard, transport: Transport, handshakeTimeout: TimeAmount) {
        self.connections = connections
        self.transport = transport
        self.handshakeTimeout = handshakeTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        guard case .new = state else { return context.fireChannelActive() }
        switch connections.admit(context.channel) {
        case .failure(let refusal):
            refuse(context: context, refusal)
            // SSH: the SSH handler never sees the connection, so it never sends its own version line.
            if transport == .http { context.fireChannelActive() }
        case .success(let id):
            let deadline = context.eventLoop.assumeIsolated().scheduleTask(in: handshakeTimeout) {
                guard case .handshaking = self.state else { return }
                // Past the version exchange nothing can be said in clear text: the client sees the connection close.
                context.close(promise: nil)
            }
            state = .handshaking(id: id, deadline: deadline)
            context.fireChannelActive()
        }
    }

    /// The connection logged in (SSH) or sent a full request head (HTTP): it no longer counts as half-open.
    func authenticated(context: ChannelHandlerContext) {
        guard case .handshaking(let id, let deadline) = state else { return }
        deadline?.cancel()
        connections.authenticate(id)
        state = .authenticated(id: id)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .refused = state { return }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let evicted = event as? Evicted else { return context.fireUserInboundEventTriggered(event) }
        guard case .handshaking(_, let deadline) = state else { return }
        deadline?.cancel()
        switch transport {
        case .http: refuse(context: context, evicted.refusal)  // no request head yet, so no response started
        case .ssh:
            state = .refused
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .handshaking(let id, let deadline):
            deadline?.cancel()
            connections.close(id)
        case .authenticated(let id):
            connections.close(id)
        case .new, .refused, .closed:
            break
        }
        state = .closed
        context.fireChannelInactive()
    }

    /// Writes the refusal, stops writing, and closes once the client has read it (or after a second).
    private func refuse(context: ChannelHandlerContext, _ refusal: ConnectionRefusal) {
        if case .handshaking(let id, _) = state { connections.close(id) }
        state = .refused
        let bytes = transport == .ssh ? Self.sshDisconnect(refusal.message) : Self.http503(refusal.message)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes))).whenComplete { _ in
            channel.close(mode: .output, promise: nil)
            channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
        }
    }

    /// `SSH-2.0-dehub-host` and a clear-text `SSH_MSG_DISCONNECT` (reason 12, too many connections), as a server
    /// may send before key exchange.
    static func sshDisconnect(_ message: String) -> [UInt8] {
        func uint32(_ n: Int) -> [UInt8] {
            [UInt8(n >> 24 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
        }
        let text = Array(message.utf8)
        let payload = [1] + uint32(12) + uint32(text.count) + text + uint32(0)
        var padding = 8 - (5 + payload.count) % 8
        if padding < 4 { padding += 8 }
        let packet = uint32(1 + payload.count + padding) + [UInt8(padding)] + payload + [UInt8](repeating: 0, count: padding)
        return Array("SSH-2.0-dehub-host\r\n".utf8) + packet
    }

    static func http503(_ message: String) -> [UInt8] {
        let body = Array((message + "\n").utf8)
        let head =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 5\r\n"
            + "Connection: close\r\nContent-Length: \(body.count)\r\n\r\n"
        return Array(head.utf8) + body
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// Tells the connection's guard that it authenticated (SSH) or sent a full request head (HTTP).
    func markConnectionAuthenticated() {
        guard let context = try? context(handlerType: ConnectionGuardHandler.self),
            let handler = context.handler as? ConnectionGuardHandler
        else { return }
        handler.authenticated(context: context)
    }
}
