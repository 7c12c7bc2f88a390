import Crypto

/// The fields of a binary SSHSIG blob (OpenSSH PROTOCOL.sshsig), parsed but not yet checked or verified.
struct SSHSignatureBlob: Equatable {
    static let magic = Array("SSHSIG".utf8)
    static let version: UInt32 = 1
    /// Refuse absurd inputs before parsing: the largest real blob (RSA-16384) is under 5 KiB.
    static let maximumSize = 64 * 1024

    var publicKey: [UInt8]
    var namespace: String
    var reserved: [UInt8]
    var hashAlgorithm: String
    var signatureType: String
    var signature: [UInt8]

    /// Parses the blob; every length is bounds-checked and trailing bytes are refused.
    init(parsing bytes: [UInt8]) throws {
        guard bytes.count <= Self.maximumSize else {
            throw SSHWireError("SSH signature is \(bytes.count) bytes, more than \(Self.maximumSize)")
        }
        var reader = SSHWireReader(bytes)
        guard try reader.fixedBytes(6, "SSHSIG magic") == Self.magic else {
            throw SSHWireError("not an SSH signature (no SSHSIG magic)")
        }
        let version = try reader.uint32("SSHSIG version")
        guard version == Self.version else { throw SSHWireError("unsupported SSH signature version \(version)") }
        publicKey = try reader.string("signer public key")
        namespace = try reader.text("namespace")
        reserved = try reader.string("reserved field")
        hashAlgorithm = try reader.text("hash algorithm")
        var inner = SSHWireReader(try reader.string("signature"))
        try reader.expectEnd("the SSH signature")
        signatureType = try inner.text("signature type")
        signature = try inner.string("signature value")
        try inner.expectEnd("the signature value")
    }

    init(
        publicKey: [UInt8], namespace: String, reserved: [UInt8] = [], hashAlgorithm: String,
        signatureType: String, signature: [UInt8]
    ) {
        self.publicKey = publicKey
        self.namespace = namespace
        self.reserved = reserved
        self.hashAlgorithm = hashAlgorithm
        self.signatureType = signatureType
        self.signature = signature
    }

    /// The wire encoding.
    var encoded: [UInt8] {
        var inner = SSHWireWriter()
        inner.string(signatureType)
        inner.string(signature)
        var writer = SSHWireWriter()
        writer.raw(Self.magic)
        writer.uint32(Self.version)
        writer.string(publicKey)
        writer.string(namespace)
        writer.string(reserved)
        writer.string(hashAlgorithm)
        writer.string(inner.bytes)
        return writer.bytes
    }
}

/// The message digests SSHSIG allows.
enum SSHSignatureHash: String, CaseIterable {
    case sha256
    case sha512

    func digest(_ message: [UInt8]) -> [UInt8] {
        switch self {
        case .sha256: Array(SHA256.hash(data: message))
        case .sha512: Array(SHA512.hash(data: message))
        }
    }

    /// The bytes the signature is made over:
    /// `"SSHSIG" ‖ string(namespace) ‖ string(reserved) ‖ string(hash_algorithm) ‖ string(H(message))`.
    /// The reserved field is always empty, as `ssh-keygen` signs and verifies it.
    func signedData(message: [UInt8], namespace: String) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.raw(SSHSignatureBlob.magic)
        writer.string(namespace)
        writer.string([UInt8]())
        writer.string(rawValue)
        writer.string(digest(message))
        return writer.bytes
    }
}
