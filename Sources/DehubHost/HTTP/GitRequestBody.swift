import CompressNIO
import Hummingbird
import NIOCore

/// A request body as git's stdin: gunzipped on the fly when `Content-Encoding: gzip`, and cut off
/// with `BodyTooLarge` beyond `limit` bytes (counted after decoding, so a gzip bomb stops too).
/// It pulls from the connection only as git reads, so a slow git slows the client down.
///
/// It ends only when the body did: a body whose connection closed before its end (a reset, an early close, a
/// stalled body closed by `HTTPTimeoutHandler`, fewer bytes than `Content-Length`) throws `BodyCutShort`, so
/// git is killed instead of acting on half a request. (Hummingbird ends the body sequence quietly when the
/// connection closes mid-body, so both are checked here.)
struct GitRequestBody: AsyncSequence, Sendable {
    typealias Element = [UInt8]

    struct BodyTooLarge: Error, CustomStringConvertible {
        let limit: Int
        var description: String { "the request body is larger than the limit of \(limit) bytes" }
    }

    struct CorruptGzip: Error, CustomStringConvertible {
        var description: String { "the gzip request body is corrupt" }
    }

    struct BodyCutShort: Error, CustomStringConvertible {
        let received: Int
        var description: String { "the request body ended early (after \(received) bytes): the connection closed" }
    }

    let body: RequestBody
    let gzip: Bool
    let limit: Int
    /// `Content-Length`, when the client sent one.
    var announcedLength: Int? = nil
    /// Whether the connection is still open (after a proper end of the body, the client waits for the answer).
    var connectionIsOpen: @Sendable () -> Bool = { true }

    func makeAsyncIterator() -> Iterator {
        Iterator(
            body: body.makeAsyncIterator(), decompressor: gzip ? try? ZlibDecompressor(algorithm: .gzip) : nil,
            gzip: gzip, limit: limit, announcedLength: announcedLength, connectionIsOpen: connectionIsOpen)
    }

    struct Iterator: AsyncIteratorProtocol {
        var body: RequestBody.AsyncIterator
        let decompressor: ZlibDecompressor?
        let gzip: Bool
        let limit: Int
        let announcedLength: Int?
        let connectionIsOpen: @Sendable () -> Bool
        var pending = ByteBuffer()
        var window = ByteBuffer()
        var total = 0
        /// Bytes as received, before decoding.
        var received = 0

        init(
            body: RequestBody.AsyncIterator, decompressor: ZlibDecompressor?, gzip: Bool, limit: Int,
            announcedLength: Int?, connectionIsOpen: @escaping @Sendable () -> Bool
        ) {
            self.body = body
            self.decompressor = decompressor
            self.gzip = gzip
            self.limit = limit
            self.announcedLength = announcedLength
            self.connectionIsOpen = connectionIsOpen
            if gzip { window = ByteBufferAllocator().buffer(capacity: 64 * 1024) }
        }

        /// The next buffer as received, or nil at the body's proper end.
        private mutating func nextReceived() async throws -> ByteBuffer? {
            guard let buffer = try await body.next() else {
                if let announcedLength, received != announcedLength { throw BodyCutShort(received: received) }
                if !connectionIsOpen() { throw BodyCutShort(received: received) }
                return nil
            }
            received += buffer.readableBytes
            return buffer
        }

        mutating func next() async throws -> [UInt8]? {
            while true {
                if gzip {
                    guard let decompressor else { throw CorruptGzip() }
                    if pending.readableBytes > 0 {
                        window.clear()
                        let before = pending.readerIndex
                        do {
                            try pending.decompressStream(to: &window, with: decompressor)
                        } catch let error as CompressNIOError where error == .bufferOverflow {
                            // the window is full; the rest comes on the next call
                        } catch {
                            throw CorruptGzip()
                        }
                        if window.readableBytes > 0 { return try count(Array(window.readableBytesView)) }
                        if pending.readerIndex == before { throw CorruptGzip() }  // no progress: trailing garbage
                        continue
                    }
                    guard let buffer = try await nextReceived() else { return nil }
                    pending = buffer
                } else {
                    guard let buffer = try await nextReceived() else { return nil }
                    return try count(Array(buffer.readableBytesView))
                }
            }
        }

        private mutating func count(_ chunk: [UInt8]) throws -> [UInt8] {
            total += chunk.count
            guard total <= limit else { throw BodyTooLarge(limit: limit) }
            return chunk
        }
    }
}
