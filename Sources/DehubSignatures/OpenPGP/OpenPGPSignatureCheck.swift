import Crypto
import DehubCore
import _CryptoExtras

/// The cryptographic check of one signature against one key over prepared hash input.
enum OpenPGPSignatureCheck {
    /// Hashes `signedData` ‖ the signature's hashed part ‖ trailer and verifies the result with `key`.
    /// Returns false for a signature that does not verify; throws for one that cannot be checked at all
    /// (an algorithm dehub refuses, or a signature algorithm that does not match the key).
    static func isValid(
        _ signature: OpenPGPSignature, by key: OpenPGPKeyPacket, over signedData: [ArraySlice<UInt8>]
    ) throws -> Bool {
        let hash = try OpenPGPHashAlgorithm(id: signature.hashAlgorithmID)
        let digest = hash.digest(signedData + [signature.trailer[...]])
        let bytes = digest.bytes
        guard bytes.count >= 2, bytes[0] == signature.hashLeft16[0], bytes[1] == signature.hashLeft16[1] else {
            return false
        }
        if case .unusable(let reason) = key.material {
            throw SignatureFailure("key \(key.keyID) cannot verify signatures: \(reason)")
        }
        guard family(of: signature.publicKeyAlgorithm) == family(of: key.algorithm) else {
            throw SignatureFailure(
                "signature algorithm \(OpenPGPPublicKeyAlgorithm.name(of: signature.publicKeyAlgorithm)) does not match key \(key.keyID) (\(OpenPGPPublicKeyAlgorithm.name(of: key.algorithm)))"
            )
        }
        if signature.publicKeyAlgorithm == 27 && hash == .sha1 {
            // RFC 9580 §5.2.3.4: Ed25519 signatures need a hash of at least 256 bits.
            throw SignatureFailure("signature uses SHA-1 with an Ed25519 key, which RFC 9580 forbids")
        }
        switch (key.material, signature.value) {
        case (.rsa(let publicKey, let bits), .rsa(let value)):
            let size = (bits + 7) / 8
            let stripped = Array(value.drop(while: { $0 == 0 }))
            guard stripped.count <= size else { return false }
            let raw = _RSA.Signing.RSASignature(rawRepresentation: openPGPLeftPadded(stripped, to: size))
            switch digest {
            case .sha1(let d): return publicKey.isValidSignature(raw, for: d, padding: .insecurePKCS1v1_5)
            case .sha256(let d): return publicKey.isValidSignature(raw, for: d, padding: .insecurePKCS1v1_5)
            case .sha384(let d): return publicKey.isValidSignature(raw, for: d, padding: .insecurePKCS1v1_5)
            case .sha512(let d): return publicKey.isValidSignature(raw, for: d, padding: .insecurePKCS1v1_5)
            }
        case (.ed25519(let publicKey), .ed25519(let value)):
            // EdDSA in OpenPGP signs the digest, not the data itself.
            return publicKey.isValidSignature(value, for: bytes)
        default:
            // Same family but an unreadable value (cannot happen for parsed keys); fail closed.
            return false
        }
    }

    /// RSA sign-only (3) and general RSA (1) signatures are interchangeable; EdDSA legacy (22) and
    /// Ed25519 (27) keys each take only their own kind.
    private static func family(of algorithm: UInt8) -> UInt8 {
        algorithm == 3 ? 1 : algorithm
    }
}
