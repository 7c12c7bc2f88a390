#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The caller's lines on stdin, read by a thread of their own (a blocking read must not hold one of the few
/// threads async code runs on). The stream ends when stdin closes. A line longer than `maxLineBytes` is cut
/// and handed on as it is (the protocol parser refuses it).
enum WatchInput {
    static let maxLineBytes = 8192

    static func lines() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingOldest(1024))
        let box = Unmanaged.passRetained(ContinuationBox(continuation)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { argument in
                #if canImport(Glibc)
                    let pointer = argument!
                #else
                    let pointer = argument
                #endif
                let box = Unmanaged<ContinuationBox>.fromOpaque(pointer).takeRetainedValue()
                WatchInput.readLoop(box.continuation)
                return nil
            }, box)
        if started == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<ContinuationBox>.fromOpaque(box).release()
            continuation.finish()
        }
        return stream
    }

    final class ContinuationBox {
        let continuation: AsyncStream<String>.Continuation
        init(_ continuation: AsyncStream<String>.Continuation) { self.continuation = continuation }
    }

    static func readLoop(_ continuation: AsyncStream<String>.Continuation) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            for byte in buffer[0..<count] {
                if byte == 0x0a {
                    continuation.yield(String(decoding: pending, as: UTF8.self))
                    pending.removeAll(keepingCapacity: true)
                } else if pending.count < maxLineBytes {
                    pending.append(byte)
                }
            }
        }
        if !pending.isEmpty { continuation.yield(String(decoding: pending, as: UTF8.self)) }
        continuation.finish()
    }
}
