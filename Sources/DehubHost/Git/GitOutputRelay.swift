import NIOCore

/// git's stdout written straight into a NIO channel (HTTP: the client's connection), from that channel's event
/// loop: the pipe is read there and each buffer NIO read is written as it is, with no task, no hop between threads
/// and no copy per chunk. What is read ahead stays bounded: reading stops while the target is not writable (past
/// its write buffer's high-water mark) and resumes when it drains, so a slow client slows git down.
public struct GitOutputRelay: Sendable {
    /// Where git's output goes.
    public let target: any Channel
    /// What the target's pipeline takes for a buffer of git's output (HTTP: a body part).
    public let wrap: @Sendable (ByteBuffer) -> NIOAny

    public init(target: any Channel, wrap: @escaping @Sendable (ByteBuffer) -> NIOAny) {
        self.target = target
        self.wrap = wrap
    }
}

/// The target closed before git's output ended.
struct GitOutputTargetClosed: Error, CustomStringConvertible {
    var description: String { "the client's connection closed" }
}

/// On the pipe's channel: writes each read to the target, flushes once per read burst, pauses reading while the
/// target is not writable. `done` succeeds at the end of git's output, fails when the target closes first. The
/// pipe's channel lives on the target's event loop, so both handlers run on one thread.
final class GitOutputRelayHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let relay: GitOutputRelay
    private let done: EventLoopPromise<Void>
    private let onRead: @Sendable () -> Void
    private var source: (any Channel)?
    private var watcher: GitOutputTargetWatcher?
    private var wrote = false
    private var finished = false

    init(relay: GitOutputRelay, done: EventLoopPromise<Void>, onRead: @escaping @Sendable () -> Void) {
        self.relay = relay
        self.done = done
        self.onRead = onRead
    }

    func handlerAdded(context: ChannelHandlerContext) {
        source = context.channel
        guard relay.target.isActive else { return targetClosed() }
        let watcher = GitOutputTargetWatcher(relay: self)
        do {
            try relay.target.pipeline.syncOperations.addHandler(watcher, position: .first)
            self.watcher = watcher
        } catch {
            finish(.failure(error))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        onRead()
        relay.target.write(relay.wrap(unwrapInboundIn(data)), promise: nil)
        wrote = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard wrote else { return }
        wrote = false
        relay.target.flush()
        if !relay.target.isWritable { try? context.channel.syncOptions?.setOption(.autoRead, value: false) }
    }

    /// git's output ended (git exited, or its group was stopped).
    func channelInactive(context: ChannelHandlerContext) { finish(.success(())) }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { finish(.failure(error)) }

    /// From the watcher: the target drained below its low-water mark.
    func targetWritable() {
        guard !finished else { return }
        try? source?.syncOptions?.setOption(.autoRead, value: true)
    }

    /// From the watcher: the client's connection closed before git's output ended.
    func targetClosed() { finish(.failure(GitOutputTargetClosed())) }

    /// Once: stops watching the target, closes the pipe (git, if still writing, gets EPIPE), completes `done`.
    private func finish(_ result: Result<Void, any Error>) {
        guard !finished else { return }
        finished = true
        if wrote {
            wrote = false
            relay.target.flush()
        }
        if let watcher, relay.target.isActive {
            relay.target.pipeline.syncOperations.removeHandler(watcher, promise: nil)
        }
        watcher = nil
        source?.close(promise: nil)
        source = nil
        done.completeWith(result)
    }
}

/// On the target, first in its pipeline for the relay's time: tells the relay when the target becomes writable
/// again or closes. It passes every event on.
final class GitOutputTargetWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private weak var relay: GitOutputRelayHandler?

    init(relay: GitOutputRelayHandler) { self.relay = relay }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { relay?.targetWritable() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        relay?.targetClosed()
        context.fireChannelInactive()
    }
}
