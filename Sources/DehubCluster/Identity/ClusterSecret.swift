import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The secret every node of a cluster shares (`cluster_secret_file`, `--cluster-secret-file`): the key of the
/// HMAC tokens nodes sign their requests to each other with (`NodeToken`). It lives in a file on each node, never in
/// etcd, so whoever can write the store still cannot speak as a node. Its bytes are never printed.
public struct ClusterSecret: Sendable, CustomStringConvertible {
    /// At least this many bytes (HMAC-SHA256's key size).
    public static let minimumBytes = 32
    /// At most this many (a secret, not a document).
    public static let maximumBytes = 4096

    let key: SymmetricKey

    /// The secret from its bytes (one trailing newline is not part of it).
    public init(bytes: [UInt8]) throws(ClusterSecretError) {
        var bytes = bytes
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard bytes.count >= Self.minimumBytes else { throw .tooShort(bytes.count) }
        guard bytes.count <= Self.maximumBytes else { throw .tooLong }
        guard Set(bytes).count > 1 else { throw .notRandom }
        key = SymmetricKey(data: bytes)
    }

    /// Reads the secret file: a regular file, readable by its owner only (no group or other bits), 32 bytes or more.
    public static func load(path: String) throws(ClusterSecretError) -> ClusterSecret {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notAFile(path) }
        let mode = UInt32(info.st_mode) & 0o777
        guard mode & 0o077 == 0 else { throw .tooOpen(path, mode: mode) }
        guard info.st_size <= Int64(maximumBytes) + 2 else { throw .tooLong }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: maximumBytes + 3)
        var total = 0
        while total < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
            if n == 0 { break }
            total += n
        }
        return try ClusterSecret(bytes: Array(bytes[..<total]))
    }

    /// HMAC-SHA256 of `message` under the secret.
    func mac(_ message: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: key))
    }

    public var description: String { "<cluster secret>" }
}

/// Why the cluster secret cannot be used; the message names the file and what to do, never the secret's bytes.
public enum ClusterSecretError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(String, String)
    case notAFile(String)
    case tooOpen(String, mode: UInt32)
    case tooShort(Int)
    case tooLong
    case notRandom

    public var message: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read the cluster secret file \(path): \(reason)"
        case .notAFile(let path): "the cluster secret file \(path) is not a regular file"
        case .tooOpen(let path, let mode):
            "the cluster secret file \(path) is readable by others (mode 0\(String(mode, radix: 8))); run chmod 600 \(path)"
        case .tooShort(let count):
            "the cluster secret has \(count) bytes; it needs at least \(ClusterSecret.minimumBytes) random bytes"
        case .tooLong: "the cluster secret file is larger than \(ClusterSecret.maximumBytes) bytes"
        case .notRandom: "the cluster secret is one byte repeated; make it with: head -c 48 /dev/urandom | base64"
        }
    }

    public var description: String { message }
}

extension ClusterSecret: Equatable {
    public static func == (a: ClusterSecret, b: ClusterSecret) -> Bool {
        let x = a.key.withUnsafeBytes { Array($0) }, y = b.key.withUnsafeBytes { Array($0) }
        return NodeToken.constantTimeEqual(x, y)
    }
}
