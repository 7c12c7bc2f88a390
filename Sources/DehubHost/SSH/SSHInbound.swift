import Synchronization

/// The client's stdin bytes of one SSH session, as an async sequence with back-pressure: the connection's thread
/// reads from the channel only while less than `highWater` bytes wait unread here (`wantsMore`), so libssh stops
/// growing the channel's window and the SSH window stops a client that sends faster than git reads. When the
/// consumer drains below half, it asks the connection's thread (`resume`) to read again.
final class SSHInbound: Sendable {
    private struct State {
        var buffered = 0
        var stalled = false
    }

    static let highWater = 1 << 20
    private let state = Mutex(State())
    private let continuation: AsyncStream<[UInt8]>.Continuation
    let stream: AsyncStream<[UInt8]>
    /// Called (from the consumer's task) when reading should start again.
    private let resume: @Sendable () -> Void

    init(resume: @escaping @Sendable () -> Void) {
        self.resume = resume
        (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
    }

    /// On the connection's thread: a chunk arrived.
    func received(_ bytes: [UInt8]) {
        state.withLock { $0.buffered += bytes.count }
        continuation.yield(bytes)
    }

    /// On the connection's thread: whether to read more now; false marks the input stalled until drained.
    func wantsMore() -> Bool {
        state.withLock { s in
            if s.buffered < Self.highWater { return true }
            s.stalled = true
            return false
        }
    }

    func finish() { continuation.finish() }

    /// From the consumer: `count` bytes were taken.
    func consumed(_ count: Int) {
        let wake = state.withLock { s -> Bool in
            s.buffered -= count
            guard s.stalled, s.buffered < Self.highWater / 2 else { return false }
            s.stalled = false
            return true
        }
        if wake { resume() }
    }

    /// The sequence git's stdin is fed from.
    var bytes: Bytes { Bytes(inbound: self) }

    struct Bytes: AsyncSequence, Sendable {
        typealias Element = [UInt8]
        let inbound: SSHInbound

        func makeAsyncIterator() -> Iterator { Iterator(inbound: inbound, base: inbound.stream.makeAsyncIterator()) }

        struct Iterator: AsyncIteratorProtocol {
            let inbound: SSHInbound
            var base: AsyncStream<[UInt8]>.Iterator

            mutating func next() async -> [UInt8]? {
                guard let chunk = await base.next() else { return nil }
                inbound.consumed(chunk.count)
                return chunk
            }
        }
    }
}
