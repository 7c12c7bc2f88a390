import Crypto

/// An OpenSSH public key line, `type base64 [comment]`, read strictly: the one parser of key lines for the hook
/// (config signifiers, credentials) and the host (admins, readers, tokens, members, the keys clients log in with).
///
/// Strict means: one line (one final newline allowed), fields separated by spaces or tabs, a key type dehub can
/// verify, canonical padded base64 (`Base64`), a key blob whose leading string is that type, at most 16 KiB.
/// Security-key types (`sk-ssh-ed25519@openssh.com`, `sk-ecdsa-sha2-nistp256@openssh.com`) are refused: no part of
/// dehub verifies their signatures yet, so the host must not admit what the hook would refuse.
/// A key's identity is its type and blob; the comment plays no part in equality.
public struct SSHPublicKeyLine: Hashable, Sendable, CustomStringConvertible {
    /// The key types dehub verifies (DehubSignatures) and admits (dehub-host).
    public static let algorithms: Set<String> = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
    ]
    /// The largest key blob accepted (a 16,384-bit RSA key is about 2 KiB).
    public static let maxBlobBytes = 16 * 1024

    public let algorithm: String
    public let blob: [UInt8]
    /// The comment after the key, blanks trimmed; nil when there is none.
    public let comment: String?

    /// Why a line is not a key, as shown to users.
    public struct Malformed: Error, Equatable, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public init(algorithm: String, blob: [UInt8], comment: String? = nil) {
        self.algorithm = algorithm
        self.blob = blob
        self.comment = comment
    }

    public init(parsing line: some StringProtocol) throws(Malformed) {
        var text = Substring(line)
        if let last = text.last, last.isNewline { text = text.dropLast() }  // "\n", or "\r\n" (one Character)
        guard !text.contains(where: \.isNewline) else { throw Malformed(message: "SSH public key must be a single line") }
        let fields = text.split(maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: Self.isBlank)
        guard let typeField = fields.first else { throw Malformed(message: "empty SSH public key") }
        let type = String(typeField)
        guard Self.algorithms.contains(type) else {
            throw Malformed(
                message:
                    "unsupported SSH key type '\(type.prefix(64))' (supported: \(Self.algorithms.sorted().joined(separator: ", ")))"
            )
        }
        guard fields.count >= 2 else { throw Malformed(message: "SSH public key '\(type)' has no key data") }
        guard fields[1].utf8.count <= (Self.maxBlobBytes + 2) / 3 * 4, let blob = Base64.decode(fields[1]) else {
            throw Malformed(message: "SSH public key '\(type)' has bad base64 key data")
        }
        let blobType = Self.leadingString(of: blob)
        guard blobType == type else {
            throw Malformed(
                message: blobType.map { "SSH public key line says '\(type)' but its key data is '\($0.prefix(64))'" }
                    ?? "SSH public key line says '\(type)' but its key data is not an SSH key")
        }
        self.algorithm = type
        self.blob = blob
        self.comment = fields.count == 3 ? Self.trimmingBlanks(fields[2]) : nil
    }

    /// `type base64`, without the comment: the form written to files and compared.
    public var canonical: String { algorithm + " " + Base64.encode(blob) }

    /// `SHA256:` and the unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` prints it.
    public var fingerprint: String { Self.fingerprint(ofBlob: blob) }

    public var description: String { "\(algorithm) \(fingerprint)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.algorithm == rhs.algorithm && lhs.blob == rhs.blob }
    public func hash(into hasher: inout Hasher) { hasher.combine(blob) }

    /// The fingerprint of any byte string claimed to be a key blob (also of blobs that do not parse).
    public static func fingerprint(ofBlob blob: [UInt8]) -> String {
        "SHA256:" + Base64.encode(Array(SHA256.hash(data: blob)), padded: false)
    }

    /// The first SSH string of a key blob (its type name), bounds-checked.
    public static func leadingString(of blob: [UInt8]) -> String? {
        guard blob.count >= 4 else { return nil }
        let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard length > 0, length <= 64, blob.count >= 4 + length else { return nil }
        return String(decoding: blob[4..<(4 + length)], as: UTF8.self)
    }

    private static func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" }

    private static func trimmingBlanks(_ text: Substring) -> String? {
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) })
        else { return nil }
        return String(text[first...last])
    }
}
