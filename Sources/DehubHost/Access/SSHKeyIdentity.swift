import DehubCore

/// An SSH public key as an identity: its algorithm name and its wire-format blob. Two keys are the same identity
/// when their blobs are equal (comments are ignored). Key lines are read with DehubCore's strict
/// `SSHPublicKeyLine`, the same parser the hook uses for the config's keys, so the host never admits a key the
/// hook would refuse (security-key types included, until something verifies them).
public struct SSHKeyIdentity: Hashable, Sendable, CustomStringConvertible {
    public let algorithm: String
    public let blob: [UInt8]

    /// Algorithms this host recognises in files: those dehub verifies, and security keys, whose login signatures the
    /// SSH server (libssh, or sshd in the OpenSSH mode) verifies. The hook still refuses security keys as signers.
    public static var knownAlgorithms: Set<String> { SSHPublicKeyLine.algorithms.union(securityKeyAlgorithms) }

    public static let securityKeyAlgorithms: Set<String> = ["sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"]

    public init(algorithm: String, blob: [UInt8]) {
        self.algorithm = algorithm
        self.blob = blob
    }

    /// Parses `ALGORITHM BASE64 [comment]` strictly; nil when it is not such a line.
    public init?(openSSHLine line: some StringProtocol) {
        if let parsed = try? SSHPublicKeyLine(parsing: line) {
            self.init(algorithm: parsed.algorithm, blob: parsed.blob)
            return
        }
        // A security key, read as strictly: one line, canonical base64, the blob's own type equal to the line's.
        var text = Substring(line)
        if let last = text.last, last.isNewline { text = text.dropLast() }
        guard !text.contains(where: \.isNewline) else { return nil }
        let fields = text.split(maxSplits: 2, whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2, Self.securityKeyAlgorithms.contains(String(fields[0])),
            fields[1].utf8.count <= (SSHPublicKeyLine.maxBlobBytes + 2) / 3 * 4, let blob = Base64.decode(fields[1]),
            Self.leadingString(of: blob) == String(fields[0])
        else { return nil }
        self.init(algorithm: String(fields[0]), blob: blob)
    }

    /// `ALGORITHM BASE64`, the form written to files and compared.
    public var openSSHLine: String { SSHPublicKeyLine(algorithm: algorithm, blob: blob).canonical }

    /// `SHA256:...` as `ssh-keygen -l` prints it.
    public var fingerprint: String { SSHPublicKeyLine.fingerprint(ofBlob: blob) }

    public var isRSA: Bool { algorithm == "ssh-rsa" }

    public var description: String { "\(algorithm) \(fingerprint)" }

    /// The first SSH string of a key blob (its algorithm name), bounds-checked.
    static func leadingString(of blob: [UInt8]) -> String? { SSHPublicKeyLine.leadingString(of: blob) }
}
