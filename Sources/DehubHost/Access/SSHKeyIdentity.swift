import DehubCore

/// An SSH public key as an identity: its algorithm name and its wire-format blob. Two keys are the same identity
/// when their blobs are equal (comments are ignored). Key lines are read with DehubCore's strict
/// `SSHPublicKeyLine`, the same parser the hook uses for the config's keys, so the host never admits a key the
/// hook would refuse (security-key types included, until something verifies them).
public struct SSHKeyIdentity: Hashable, Sendable, CustomStringConvertible {
    public let algorithm: String
    public let blob: [UInt8]

    /// Algorithms this host recognises in files: those dehub verifies. The embedded SSH server only ever verifies
    /// Ed25519 and ECDSA; RSA keys are accepted in files for the OpenSSH mode.
    public static var knownAlgorithms: Set<String> { SSHPublicKeyLine.algorithms }

    public init(algorithm: String, blob: [UInt8]) {
        self.algorithm = algorithm
        self.blob = blob
    }

    /// Parses `ALGORITHM BASE64 [comment]` strictly; nil when it is not such a line.
    public init?(openSSHLine line: some StringProtocol) {
        guard let parsed = try? SSHPublicKeyLine(parsing: line) else { return nil }
        self.init(algorithm: parsed.algorithm, blob: parsed.blob)
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
