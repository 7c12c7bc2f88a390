import Foundation

/// A plain TCP connection to the host, for clients that misbehave on purpose: send part of a request, stop,
/// close early, reset (SO_LINGER 0). Blocking POSIX calls with a receive timeout; closed on `deinit`.
final class RawHTTPConnection {
    private var fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = RawHTTPError("connect: errno \(errno)")
            // A throwing init of a class still runs deinit: mark the descriptor closed, or deinit would close it a
            // second time, by then perhaps another thread's descriptor of the same number.
            Glibc.close(fd)
            fd = -1
            throw error
        }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw RawHTTPError("send: errno \(errno)") }
            offset += written
        }
    }

    /// Sends `data` as one HTTP/1.1 chunk.
    func sendChunk(_ data: [UInt8]) throws {
        try send(String(data.count, radix: 16) + "\r\n")
        try send(data + Array("\r\n".utf8))
    }

    /// Everything the host sends until it closes the connection (or `seconds` pass); nil on a timeout.
    func readUntilClosed(seconds: Int) -> String? {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 { received += buffer[0..<count]; continue }
            if count == 0 || errno == ECONNRESET { return String(decoding: received, as: UTF8.self) }
            if errno == EINTR { continue }
            return nil
        }
    }

    /// A normal close (FIN).
    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Closes with SO_LINGER 0: the peer gets a reset (RST) instead of a FIN.
    func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }
}

struct RawHTTPError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
