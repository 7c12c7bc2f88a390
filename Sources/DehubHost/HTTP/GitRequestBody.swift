import CompressNIO
import Hummingbird
import NIOCore

/// A request body as git's stdin: gunzipped on the fly when `Content-Encoding: gzip`, and cut off
/// with `BodyTooLarge` beyond `limit` bytes (counted after decoding, so a gzip bomb stops too).
/// It pulls from the connection only as git reads, so a slow git slows the client down.
struct GitRequestBody: AsyncSequence, Sendable {
    typealias Element = [UInt8]

    struct BodyTooLarge: Error, CustomStringConvertible {
        let limit: Int
        var description: String { "the request body is larger than the limit of \(limit) bytes" }
    }

    struct CorruptGzip: Error, CustomStringConvertible {
        var description: String { "the gzip request body is corrupt" }
    }

    let body: RequestBody
    let gzip: Bool
    let limit: Int

    func makeAsyncIterator() -> Iterator {
        Iterator(body: body.makeAsyncIterator(), decompressor: gzip ? try? ZlibDecompressor(algorithm: .gzip) : nil,
                 gzip: gzip, limit: limit)
    }

    struct Iterator: AsyncIteratorProtocol {
        var body: RequestBody.AsyncIterator
        let decompressor: ZlibDecompressor?
        let gzip: Bool
        let limit: Int
        var pending = ByteBuffer()
        var window = ByteBuffer()
        var total = 0

        init(body: RequestBody.AsyncIterator, decompressor: ZlibDecompressor?, gzip: Bool, limit: Int) {
            self.body = body
            self.decompressor = decompressor
            self.gzip = gzip
            self.limit = limit
            if gzip { window = ByteBufferAllocator().buffer(capacity: 64 * 1024) }
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
                    guard let buffer = try await body.next() else { return nil }
                    pending = buffer
                } else {
                    guard let buffer = try await body.next() else { return nil }
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
