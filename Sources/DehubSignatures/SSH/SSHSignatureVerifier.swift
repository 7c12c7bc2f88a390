import Crypto
import DehubCore
import _CryptoExtras

/// Verifies binary SSHSIG blobs (armour removed) in-process. Fails closed: anything unexpected throws
/// `SignatureFailure`, and only a signature that checks out cryptographically returns normally.
public struct SSHSignatureVerifier: Sendable {
    public init() {}

    /// Verifies `signature` over `message` made by `publicKey` in `namespace`.
    ///
    /// Checks, in order: the blob parses exactly (magic `SSHSIG`, version 1, no trailing bytes), its embedded key
    /// is `publicKey` (whole blob), the namespace, an empty reserved field, a `sha256`/`sha512` message hash,
    /// a signature type that belongs to the key type (`rsa-sha2-256/512` for RSA, never SHA-1 `ssh-rsa`),
    /// and finally the signature itself.
    public func verify(signature: [UInt8], over message: [UInt8], publicKey: SSHPublicKey, namespace: String = "dehub")
        throws
    {
        let blob: SSHSignatureBlob
        do {
            blob = try SSHSignatureBlob(parsing: signature)
        } catch let error as SSHWireError {
            throw SignatureFailure("malformed SSH signature: \(error.message)")
        }
        guard blob.publicKey == publicKey.blob else {
            let signer = SSHPublicKey.fingerprint(ofBlob: blob.publicKey)
            throw SignatureFailure("SSH signature was made by key \(signer) not \(publicKey.fingerprint)")
        }
        guard blob.namespace == namespace else {
            throw SignatureFailure(
                "SSH signature is for namespace '\(Self.shown(blob.namespace))', expected '\(namespace)'")
        }
        guard blob.reserved.isEmpty else {
            throw SignatureFailure("malformed SSH signature: reserved field is not empty")
        }
        guard let hash = SSHSignatureHash(rawValue: blob.hashAlgorithm) else {
            let name = Self.shown(blob.hashAlgorithm)
            throw SignatureFailure("SSH signature uses hash algorithm '\(name)'; only sha256 and sha512 are allowed")
        }
        let signed = hash.signedData(message: message, namespace: blob.namespace)
        guard try Self.isValid(blob.signature, type: blob.signatureType, over: signed, key: publicKey) else {
            throw SignatureFailure("bad SSH signature")
        }
    }

    /// Same as `verify(signature:over:publicKey:namespace:)` for a key line; a key that does not parse
    /// is reported as a `SignatureFailure` too.
    public func verify(signature: [UInt8], over message: [UInt8], publicKeyLine: String, namespace: String = "dehub")
        throws
    {
        let key: SSHPublicKey
        do {
            key = try SSHPublicKey(line: publicKeyLine)
        } catch let error as SSHKeyError {
            throw SignatureFailure(error.message)
        }
        try verify(signature: signature, over: message, publicKey: key, namespace: namespace)
    }

    /// Checks the signature type against the key type and the signature value. Throws on a type mismatch
    /// or a malformed value; returns false when a well-formed signature does not verify.
    private static func isValid(_ value: [UInt8], type: String, over signed: [UInt8], key: SSHPublicKey) throws -> Bool {
        let mismatch = SignatureFailure(
            "SSH signature type '\(shown(type))' does not match key type '\(key.keyType.rawValue)'")
        switch key.material {
        case .ed25519(let publicKey):
            guard type == SSHKeyType.ed25519.rawValue else { throw mismatch }
            guard value.count == 64 else {
                throw SignatureFailure("malformed SSH signature: Ed25519 signature must be 64 bytes")
            }
            return publicKey.isValidSignature(value, for: signed)
        case .p256(let publicKey):
            guard type == SSHKeyType.ecdsaP256.rawValue else { throw mismatch }
            let raw = try ecdsaRaw(value, size: 32)
            guard let sig = try? P256.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
            return publicKey.isValidSignature(sig, for: signed)
        case .p384(let publicKey):
            guard type == SSHKeyType.ecdsaP384.rawValue else { throw mismatch }
            let raw = try ecdsaRaw(value, size: 48)
            guard let sig = try? P384.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
            return publicKey.isValidSignature(sig, for: signed)
        case .p521(let publicKey):
            guard type == SSHKeyType.ecdsaP521.rawValue else { throw mismatch }
            let raw = try ecdsaRaw(value, size: 66)
            guard let sig = try? P521.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
            return publicKey.isValidSignature(sig, for: signed)
        case .rsa(let publicKey, let modulusBytes):
            // Like OpenSSH, accept a value shorter than the modulus and left-pad it; never a longer one.
            guard value.count <= modulusBytes, !value.isEmpty else {
                throw SignatureFailure("malformed SSH signature: RSA signature length does not match the key")
            }
            let sig = _RSA.Signing.RSASignature(
                rawRepresentation: [UInt8](repeating: 0, count: modulusBytes - value.count) + value)
            switch type {
            case "rsa-sha2-256":
                return publicKey.isValidSignature(sig, for: SHA256.hash(data: signed), padding: .insecurePKCS1v1_5)
            case "rsa-sha2-512":
                return publicKey.isValidSignature(sig, for: SHA512.hash(data: signed), padding: .insecurePKCS1v1_5)
            case "ssh-rsa":
                throw SignatureFailure(
                    "SSH signature uses SHA-1 (ssh-rsa); only rsa-sha2-256 and rsa-sha2-512 are allowed")
            default:
                throw mismatch
            }
        }
    }

    /// The ECDSA signature value is `mpint r ‖ mpint s`; returns `r ‖ s` as two fixed-size big-endian fields.
    private static func ecdsaRaw(_ value: [UInt8], size: Int) throws -> [UInt8] {
        do {
            var reader = SSHWireReader(value)
            let r = try reader.positiveMPInt("ECDSA r")
            let s = try reader.positiveMPInt("ECDSA s")
            try reader.expectEnd("the ECDSA signature")
            guard !r.isEmpty, !s.isEmpty, r.count <= size, s.count <= size else {
                throw SSHWireError("ECDSA r or s out of range")
            }
            let pad = { (x: [UInt8]) in [UInt8](repeating: 0, count: size - x.count) + x }
            return pad(r) + pad(s)
        } catch let error as SSHWireError {
            throw SignatureFailure("malformed SSH signature: \(error.message)")
        }
    }

    /// Untrusted text put into a message, cut short.
    private static func shown(_ text: String) -> String {
        text.count > 64 ? String(text.prefix(64)) + "…" : text
    }
}
