import Crypto
import Foundation

/// An SSH public key as an identity: its algorithm name and its wire-format blob.
/// Two keys are the same identity when their blobs are equal (comments are ignored).
public struct SSHKeyIdentity: Hashable, Sendable, CustomStringConvertible {
    public let algorithm: String
    public let blob: [UInt8]

    /// Algorithms this host recognises in files. The embedded SSH server only ever verifies
    /// Ed25519 and ECDSA; RSA keys are accepted in files for the OpenSSH mode.
    public static let knownAlgorithms: Set<String> = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ]

    public init(algorithm: String, blob: [UInt8]) {
        self.algorithm = algorithm
        self.blob = blob
    }

    /// Parses `ALGORITHM BASE64 [comment]`. The blob must start with the same algorithm name.
    public init?(openSSHLine line: some StringProtocol) {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count >= 2, Self.knownAlgorithms.contains(String(parts[0])),
            let data = Data(base64Encoded: String(parts[1])), data.count >= 4, data.count <= 16 * 1024
        else { return nil }
        let blob = [UInt8](data)
        guard Self.leadingString(of: blob) == String(parts[0]) else { return nil }
        self.algorithm = String(parts[0])
        self.blob = blob
    }

    /// `ALGORITHM BASE64`, the form written to files and compared.
    public var openSSHLine: String { algorithm + " " + Data(blob).base64EncodedString() }

    /// `SHA256:...` as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        let digest = SHA256.hash(data: blob)
        var b64 = Data(digest).base64EncodedString()
        while b64.hasSuffix("=") { b64.removeLast() }
        return "SHA256:" + b64
    }

    public var isRSA: Bool { algorithm == "ssh-rsa" }

    public var description: String { "\(algorithm) \(fingerprint)" }

    /// The first SSH string of a key blob (its algorithm name), bounds-checked.
    static func leadingString(of blob: [UInt8]) -> String? {
        guard blob.count >= 4 else { return nil }
        let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard length > 0, length <= 64, blob.count >= 4 + length else { return nil }
        return String(decoding: blob[4..<(4 + length)], as: UTF8.self)
    }
}
