import Crypto

/// Makes SSHSIG signatures in-process with an Ed25519 key, byte-compatible with `ssh-keygen -Y sign`.
/// Meant for tests and benchmarks that need many signatures quickly; users sign through `SSHKeygenSigner`.
public struct Ed25519SSHSigner: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey
    /// The public half, as an SSH key (with `comment`, if given).
    public let publicKey: SSHPublicKey

    public init(privateKey: Curve25519.Signing.PrivateKey = .init(), comment: String? = nil) {
        self.privateKey = privateKey
        var writer = SSHWireWriter()
        writer.string(SSHKeyType.ed25519.rawValue)
        writer.string(Array(privateKey.publicKey.rawRepresentation))
        do {
            self.publicKey = try SSHPublicKey(blob: writer.bytes, comment: comment)
        } catch {
            preconditionFailure("an Ed25519 key from swift-crypto always encodes to a valid SSH key: \(error)")
        }
    }

    /// The public key line `ssh-ed25519 AAAA… [comment]`.
    public var publicKeyLine: String {
        publicKey.line + (publicKey.comment.map { " " + $0 } ?? "")
    }

    /// A binary SSHSIG blob over `message` (hash sha512, like `ssh-keygen`).
    public func sign(_ message: [UInt8], namespace: String = "dehub") throws -> [UInt8] {
        try sign(message, namespace: namespace, hash: .sha512)
    }

    func sign(_ message: [UInt8], namespace: String, hash: SSHSignatureHash) throws -> [UInt8] {
        let signed = hash.signedData(message: message, namespace: namespace)
        let signature = try privateKey.signature(for: signed)
        return SSHSignatureBlob(
            publicKey: publicKey.blob, namespace: namespace, hashAlgorithm: hash.rawValue,
            signatureType: SSHKeyType.ed25519.rawValue, signature: Array(signature)
        ).encoded
    }
}
