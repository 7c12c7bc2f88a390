import Crypto
import DehubTestSupport
import Foundation

/// An ssh-agent that holds one `sk-ssh-ed25519@openssh.com` key and signs as a FIDO authenticator would (user
/// presence set, a counter), without hardware: what OpenSSH's own tests do with their sk-dummy provider. The real
/// `ssh` client logs in through it, so the server's verifier of security-key signatures is exercised end to end.
final class SSHSecurityKeyAgent: @unchecked Sendable {
    let socketPath: String
    private let key = Curve25519.Signing.PrivateKey()
    private let application = "ssh:"
    private let listener: Int32
    private var counter: UInt32 = 0
    private let lock = NSLock()

    static func string(_ bytes: [UInt8]) -> [UInt8] { uint32(UInt32(bytes.count)) + bytes }
    static func uint32(_ n: UInt32) -> [UInt8] {
        [UInt8(n >> 24 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
    }

    /// The public key blob and its `authorized_keys` line.
    var blob: [UInt8] {
        Self.string(Array("sk-ssh-ed25519@openssh.com".utf8)) + Self.string([UInt8](key.publicKey.rawRepresentation))
            + Self.string(Array(application.utf8))
    }
    var publicLine: String { "sk-ssh-ed25519@openssh.com " + Data(blob).base64EncodedString() + " security-key" }

    init(directory: String) throws {
        socketPath = directory + "/sk-agent.sock"
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard listener >= 0, path.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw HostTestError("cannot make the agent's socket")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(listener, 8) == 0 else { throw HostTestError("cannot listen on \(socketPath)") }
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(socketPath)
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            Thread { [self] in
                while let request = Self.readMessage(client) {
                    let reply = answer(request)
                    let framed = Self.uint32(UInt32(reply.count)) + reply
                    _ = framed.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
                close(client)
            }.start()
        }
    }

    private func answer(_ request: [UInt8]) -> [UInt8] {
        guard let type = request.first else { return [5] }
        switch type {
        case 11:  // REQUEST_IDENTITIES
            return [12] + Self.uint32(1) + Self.string(blob) + Self.string(Array("security-key".utf8))
        case 13:  // SIGN_REQUEST: string key, string data, uint32 flags
            var reader = Reader(bytes: Array(request.dropFirst()))
            guard let keyBlob = reader.string(), keyBlob == blob, let data = reader.string() else { return [5] }
            let count = lock.withLock { () -> UInt32 in
                counter += 1
                return counter
            }
            let flags: UInt8 = 0x01  // user presence
            let signed =
                Array(SHA256.hash(data: Array(application.utf8))) + [flags] + Self.uint32(count) + Array(SHA256.hash(data: data))
            guard let signature = try? key.signature(for: signed) else { return [5] }
            let encoded =
                Self.string(Array("sk-ssh-ed25519@openssh.com".utf8)) + Self.string([UInt8](signature)) + [flags]
                + Self.uint32(count)
            return [14] + Self.string(encoded)
        default:
            return [5]  // FAILURE (e.g. the session-bind extension)
        }
    }

    private static func readMessage(_ fd: Int32) -> [UInt8]? {
        guard let header = readExactly(fd, 4) else { return nil }
        let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard length > 0, length < 1 << 20 else { return nil }
        return readExactly(fd, length)
    }

    private static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
            guard n > 0 else { return nil }
            got += n
        }
        return bytes
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0
        mutating func string() -> [UInt8]? {
            guard offset + 4 <= bytes.count else { return nil }
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            offset += 4
            guard length <= bytes.count - offset else { return nil }
            defer { offset += length }
            return Array(bytes[offset..<offset + length])
        }
    }
}
