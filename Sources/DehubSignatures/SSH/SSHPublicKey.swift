import DehubCore
import Crypto

/// An OpenSSH public key: `ssh-ed25519`, `ecdsa-sha2-nistp256/384/521`, or `ssh-rsa` of at least 2048 bits.
/// Two keys are equal when their wire blobs are equal; the comment plays no part.
public struct SSHPublicKey: Hashable, Sendable, CustomStringConvertible {
    /// Smallest RSA modulus accepted, in bits.
    public static let minimumRSABits = 2048
    /// Largest RSA modulus accepted, in bits (OpenSSH's own limit).
    public static let maximumRSABits = 16384

    /// The wire encoding of the key (what the base64 field of a key line holds).
    public let blob: [UInt8]
    /// The comment of the key line, or nil when there was none.
    public let comment: String?
    let material: SSHKeyMaterial

    public var keyType: SSHKeyType { material.keyType }

    /// Parses a key line `type base64 [comment]`, as found in `id_ed25519.pub` or printed by `ssh-add -L`.
    /// Leading and trailing blanks and one final newline are ignored; options prefixes are not supported.
    public init(line: String) throws {
        var text = Substring(line)
        if let last = text.last, last.isNewline { text = text.dropLast() }  // "\n", or "\r\n" (one Character)
        guard !text.contains(where: { $0.isNewline }) else {
            throw SSHKeyError("SSH public key must be a single line")
        }
        let fields = text.split(maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: Self.isBlank)
        guard let typeField = fields.first else { throw SSHKeyError("empty SSH public key") }
        let typeName = String(typeField)
        guard SSHKeyType(rawValue: typeName) != nil else { throw SSHKeyType.unknown(typeName) }
        guard fields.count >= 2 else { throw SSHKeyError("SSH public key '\(typeName)' has no key data") }
        guard let blob = Base64.decode(fields[1]) else {
            throw SSHKeyError("SSH public key '\(typeName)' has bad base64 key data")
        }
        let comment = fields.count == 3 ? Self.trimmingBlanks(fields[2]) : nil
        try self.init(blob: blob, comment: comment)
        guard keyType.rawValue == typeName else {
            throw SSHKeyError("SSH public key line says '\(typeName)' but its key data is '\(keyType.rawValue)'")
        }
    }

    /// Parses the wire blob of a key (`string type`, then the fields of that type).
    public init(blob: [UInt8], comment: String? = nil) throws {
        do {
            self.material = try SSHKeyMaterial(blob: blob)
        } catch let error as SSHWireError {
            throw SSHKeyError("malformed SSH public key: \(error.message)")
        }
        self.blob = blob
        self.comment = comment
    }

    /// `SHA256:` and the unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` prints it.
    public var fingerprint: String { Self.fingerprint(ofBlob: blob) }

    /// `type base64`, without the comment.
    public var line: String { keyType.rawValue + " " + Base64.encode(blob) }

    public var description: String { "\(keyType.rawValue) \(fingerprint)" }

    public static func == (lhs: SSHPublicKey, rhs: SSHPublicKey) -> Bool { lhs.blob == rhs.blob }
    public func hash(into hasher: inout Hasher) { hasher.combine(blob) }

    /// The fingerprint of any byte string claimed to be a key blob (also of blobs that do not parse).
    static func fingerprint(ofBlob blob: [UInt8]) -> String {
        "SHA256:" + Base64.encode(Array(SHA256.hash(data: blob)), padded: false)
    }

    private static func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" }

    private static func trimmingBlanks(_ text: Substring) -> String? {
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) })
        else { return nil }
        return String(text[first...last])
    }
}
