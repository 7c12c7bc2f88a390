#if canImport(Glibc)
    import Glibc
#endif

/// Lines from a file descriptor (git's commands to a remote helper), without the newline; nil at the end.
final class LineReader {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var ended = false
    /// A command line longer than this is malformed (git's are short: a command and an object id and a ref name).
    static let maxLine = 64 << 10

    init(fd: Int32) { self.fd = fd }

    func next() throws -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return String(decoding: line, as: UTF8.self)
            }
            guard buffer.count <= Self.maxLine else { throw RemoteHelperFailure("a command from git is too long") }
            if ended {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RemoteHelperFailure("cannot read the commands from git")
            }
            if n == 0 { ended = true } else { buffer += chunk[0..<n] }
        }
    }
}
