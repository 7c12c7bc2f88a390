/// One frame of the SSH tunnel between two nodes (docs/cluster.md, "SSH through any node"): a git session that
/// reached a node over SSH runs on a replica, its stdin carried in the request body and its stdout, stderr and exit
/// status in the response, over the internal HTTP path. `KIND(1) LENGTH(4, big-endian) PAYLOAD`.
public enum TunnelFrame: Equatable, Sendable {
    /// Nothing: sent while the client's stdin is idle, so the serving node's body timeout sees a live peer.
    case keepalive
    /// Bytes of the session's stdin (request) or stdout (response).
    case data([UInt8])
    /// Bytes of git's stderr.
    case stderr([UInt8])
    /// The session's exit status; the last frame of a response.
    case exit(Int32)

    /// The largest payload a frame may carry.
    public static let maxPayload = 1 << 20

    public var encoded: [UInt8] {
        let (kind, payload): (UInt8, [UInt8])
        switch self {
        case .keepalive: (kind, payload) = (0, [])
        case .data(let bytes): (kind, payload) = (1, bytes)
        case .stderr(let bytes): (kind, payload) = (2, bytes)
        case .exit(let status):
            let value = UInt32(bitPattern: status)
            (kind, payload) = (3, [UInt8(value >> 24), UInt8(value >> 16 & 255), UInt8(value >> 8 & 255), UInt8(value & 255)])
        }
        let count = UInt32(payload.count)
        return [kind, UInt8(count >> 24), UInt8(count >> 16 & 255), UInt8(count >> 8 & 255), UInt8(count & 255)] + payload
    }

    /// `bytes` as data frames of at most `maxPayload` bytes each.
    public static func data(chunked bytes: [UInt8]) -> [UInt8] {
        guard bytes.count > maxPayload else { return TunnelFrame.data(bytes).encoded }
        var out: [UInt8] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + maxPayload, bytes.count)
            out += TunnelFrame.data(Array(bytes[start..<end])).encoded
            start = end
        }
        return out
    }
}

/// Why a tunnel's byte stream is not a sequence of frames.
public enum TunnelFrameError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownKind(UInt8)
    case tooLarge(Int)
    case badExit(Int)
    case truncated(Int)

    public var description: String {
        switch self {
        case .unknownKind(let kind): "cluster tunnel: unknown frame kind \(kind)"
        case .tooLarge(let count): "cluster tunnel: a frame of \(count) bytes is over the limit of \(TunnelFrame.maxPayload)"
        case .badExit(let count): "cluster tunnel: an exit frame of \(count) bytes (4 expected)"
        case .truncated(let count): "cluster tunnel: the stream ended inside a frame (\(count) bytes pending)"
        }
    }
}

/// Splits a byte stream into frames, whatever the chunks it arrives in; refuses unknown kinds and oversized frames
/// before buffering them.
public struct TunnelFrameDecoder: Sendable {
    private var buffer: [UInt8] = []

    public init() {}

    /// The frames completed by `bytes`.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(TunnelFrameError) -> [TunnelFrame] {
        buffer.append(contentsOf: bytes)
        var frames: [TunnelFrame] = []
        var offset = 0
        while buffer.count - offset >= 5 {
            let kind = buffer[offset]
            guard kind <= 3 else { throw .unknownKind(kind) }
            let count =
                Int(buffer[offset + 1]) << 24 | Int(buffer[offset + 2]) << 16 | Int(buffer[offset + 3]) << 8
                | Int(buffer[offset + 4])
            guard count <= TunnelFrame.maxPayload else { throw .tooLarge(count) }
            if kind == 0, count != 0 { throw .tooLarge(count) }
            if kind == 3, count != 4 { throw .badExit(count) }
            guard buffer.count - offset - 5 >= count else { break }
            let payload = Array(buffer[(offset + 5)..<(offset + 5 + count)])
            offset += 5 + count
            switch kind {
            case 0: frames.append(.keepalive)
            case 1: frames.append(.data(payload))
            case 2: frames.append(.stderr(payload))
            default:
                let value = UInt32(payload[0]) << 24 | UInt32(payload[1]) << 16 | UInt32(payload[2]) << 8 | UInt32(payload[3])
                frames.append(.exit(Int32(bitPattern: value)))
            }
        }
        buffer.removeFirst(offset)
        return frames
    }

    /// At the end of the stream: an error when it stopped inside a frame.
    public func finish() throws(TunnelFrameError) {
        if !buffer.isEmpty { throw .truncated(buffer.count) }
    }
}
