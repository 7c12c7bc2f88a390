import Crypto
import DehubCore

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

    /// Parses a key line `type base64 [comment]`, as found in `id_ed25519.pub` or printed by `ssh-add -L`, with
    /// DehubCore's strict `SSHPublicKeyLine` (the host reads key lines with the same parser); then the key material.
    public init(line: String) throws {
        // The verifier's own list of types first, so that its message names what it supports.
        let typeName =
            line.split(maxSplits: 1, omittingEmptySubsequences: true, whereSeparator: { $0 == " " || $0 == "\t" })
            .first.map(String.init) ?? ""
        if !typeName.isEmpty, !typeName.contains(where: \.isNewline), SSHKeyType(rawValue: typeName) == nil {
            throw SSHKeyType.unknown(typeName)
        }
        let parsed: SSHPublicKeyLine
        do {
            parsed = try SSHPublicKeyLine(parsing: line)
        } catch {
            throw SSHKeyError(error.message)
        }
        try self.init(blob: parsed.blob, comment: parsed.comment)
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
    static func fingerprint(ofBlob blob: [UInt8]) -> String { SSHPublicKeyLine.fingerprint(ofBlob: blob) }
}
