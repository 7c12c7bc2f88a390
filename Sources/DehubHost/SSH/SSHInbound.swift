import NIOCore

/// The client's stdin bytes of one SSH session, as an async sequence with back-pressure: the channel
/// reads with autoRead off, and asks for more only while less than `highWater` bytes wait unread,
/// so the SSH window stops a client that sends faster than git reads.
final class SSHInbound: @unchecked Sendable {
    // Mutated on the channel's event loop only.
    private var buffered = 0
    private var stalled = false
    private let highWater = 1 << 20
    private let continuation: AsyncStream<[UInt8]>.Continuation
    let stream: AsyncStream<[UInt8]>
    private let channel: any Channel

    init(channel: any Channel) {
        self.channel = channel
        (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
    }

    /// On the event loop: a chunk arrived.
    func received(_ bytes: [UInt8]) {
        buffered += bytes.count
        continuation.yield(bytes)
    }

    /// On the event loop: the reads of this turn are delivered; ask for more unless the buffer is full.
    func readComplete() {
        if buffered < highWater { channel.read() } else { stalled = true }
    }

    func finish() { continuation.finish() }

    /// From the consumer: `count` bytes were taken.
    func consumed(_ count: Int) {
        channel.eventLoop.execute {
            self.buffered -= count
            if self.stalled, self.buffered < self.highWater / 2 {
                self.stalled = false
                self.channel.read()
            }
        }
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
