import Crypto
import Foundation

/// HTTP tokens for `--push members` (and private reads over HTTP). Each token is bound to an SSH key,
/// so over HTTP it stands for that key's identity. Only the SHA-256 of a token is stored:
///
///     DATA/tokens (mode 0600):  sha256:HEX NAME ALGORITHM BASE64
public struct TokenStore: Sendable {
    public struct Entry: Equatable, Sendable {
        public var hash: String
        public var name: String
        public var key: SSHKeyIdentity
    }

    public let path: String

    public init(path: String) { self.path = path }

    public static func hash(_ token: String) -> String {
        "sha256:" + SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The tokens, parsed once per version of the file (`ParsedFileCache`).
    public func entries() -> [Entry] { Self.cache.value(atPath: path) }

    private static let cache = ParsedFileCache<[Entry]> { path in
        guard let text = try? FileIO.readText(path) else { return [] }
        return parse(text)
    }

    static func parse(_ text: String) -> [Entry] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count >= 4, words[0].hasPrefix("sha256:"), words[0].count == 71,
                let key = SSHKeyIdentity(openSSHLine: words[2...].joined(separator: " "))
            else { return nil }
            return Entry(hash: String(words[0]), name: String(words[1]), key: key)
        }
    }

    /// Issues a new token for `key` under `name` and returns it; it is shown once and never stored.
    public func create(name: String, key: SSHKeyIdentity) throws -> String {
        guard !name.isEmpty, name.count <= 64,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-@".contains($0)) })
        else { throw HostError(.usage, "a token name may only contain letters, digits, '.', '_', '-' and '@'") }
        var current = entries()
        guard !current.contains(where: { $0.name == name }) else {
            throw HostError(
                .refused, "a token named \(name) already exists", hint: "delete it first: dehub-host token delete \(name)")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = generator.next() }
        let token = "dehub_" + bytes.map { String(format: "%02x", $0) }.joined()
        current.append(Entry(hash: Self.hash(token), name: name, key: key))
        try save(current)
        return token
    }

    public func delete(name: String) throws {
        let current = entries()
        guard current.contains(where: { $0.name == name }) else { throw HostError(.refused, "no token named \(name)") }
        try save(current.filter { $0.name != name })
    }

    /// The key a presented token stands for, or nil. Compares hashes in constant time.
    public func identity(forToken token: String) -> SSHKeyIdentity? {
        guard token.utf8.count <= 256 else { return nil }
        let presented = Array(Self.hash(token).utf8)
        var match: SSHKeyIdentity?
        for entry in entries() where Self.constantTimeEqual(Array(entry.hash.utf8), presented) {
            match = entry.key
        }
        return match
    }

    private func save(_ entries: [Entry]) throws {
        let text = entries.map { "\($0.hash) \($0.name) \($0.key.openSSHLine)\n" }.joined()
        try FileIO.writeAtomically("# dehub-host tokens (SHA-256 hashes)\n" + text, to: path, mode: 0o600)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
