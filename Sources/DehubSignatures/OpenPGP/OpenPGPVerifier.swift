import DehubCore

/// Verifies binary OpenPGP detached signatures (v4, type 0x00) in process, against keys parsed beforehand.
///
/// Policy:
/// - The signing key is the primary key (if its latest self-signature has no key flags or has the sign flag 0x02)
///   or a subkey with the sign flag, a valid binding signature and a valid cross-certification (0x19).
/// - Revoked keys are refused whatever the date; expiry is judged at the signature's creation time (no clock).
/// - Hashes: SHA-256, SHA-384, SHA-512, and SHA-1 unless `acceptsSHA1` is false; everything else is refused.
/// - A critical subpacket dehub does not understand makes the signature invalid.
/// - The data signature's own expiration subpacket is not judged (there is no clock); see `OpenPGPSignature.expirationSeconds`.
public struct OpenPGPVerifier: Sendable {
    /// Whether SHA-1 data signatures are accepted (gpg 2.2 accepts them). Self-signatures inside keys may use SHA-1 either way.
    public var acceptsSHA1: Bool

    public init(acceptsSHA1: Bool = true) {
        self.acceptsSHA1 = acceptsSHA1
    }

    /// Verifies `signature` (one binary signature packet) over `message`. Returns which key made it, or throws
    /// `SignatureFailure` with a message for users.
    public func verify(signature: [UInt8], over message: [UInt8], keys: [OpenPGPPublicKey]) throws -> OpenPGPSigner {
        try verify(OpenPGPSignature.parse(binary: signature), over: message, keys: keys)
    }

    public func verify(_ signature: OpenPGPSignature, over message: [UInt8], keys: [OpenPGPPublicKey]) throws -> OpenPGPSigner {
        let created = try checkPolicy(signature)
        let candidates = try self.candidates(for: signature, in: keys)
        // With several candidates, a key that made the signature but may not (revoked, expired) is the
        // more telling reason than a key that did not make it.
        var mismatch: SignatureFailure?
        var refusal: SignatureFailure?
        for component in candidates {
            do {
                try check(signature, by: component, over: message, at: created)
                return OpenPGPSigner(signingKeyID: component.keyID, primaryKeyID: component.primaryKeyID)
            } catch let failure as Mismatch {
                mismatch = mismatch ?? failure.failure
            } catch let failure as SignatureFailure {
                refusal = refusal ?? failure
            }
        }
        throw refusal ?? mismatch ?? SignatureFailure("bad signature")
    }

    private func check(_ signature: OpenPGPSignature, by component: OpenPGPComponentKey, over message: [UInt8], at time: UInt32)
        throws
    {
        if case .unusable = component.packet.material {
            try component.checkUsable(at: time)
        }
        guard try OpenPGPSignatureCheck.isValid(signature, by: component.packet, over: [message[...]]) else {
            throw Mismatch(failure: SignatureFailure("bad signature: it does not match the signed data and \(component.name)"))
        }
        try component.checkUsable(at: time)
    }

    /// Checks what can be judged from the signature alone; returns its creation time.
    private func checkPolicy(_ signature: OpenPGPSignature) throws -> UInt32 {
        guard signature.signatureType == 0x00 else {
            let kind = signature.signatureType == 0x01 ? " (a text signature)" : ""
            throw SignatureFailure(
                "signature type 0x\(openPGPHex(signature.signatureType))\(kind) is not accepted: dehub needs a binary document signature (type 0x00)"
            )
        }
        let hash = try OpenPGPHashAlgorithm(id: signature.hashAlgorithmID)
        if hash == .sha1 && !acceptsSHA1 {
            throw SignatureFailure("signature uses SHA-1, which is no longer accepted: sign again with SHA-256 or stronger")
        }
        if let type = signature.subpackets.unknownCriticalType {
            throw SignatureFailure("signature has a critical subpacket dehub does not understand (type \(type))")
        }
        guard let created = signature.creationTime else {
            throw SignatureFailure("malformed OpenPGP signature: no creation time in its hashed subpackets")
        }
        return created
    }

    /// The keys the signature may come from: those its issuer names, or every signing key when it names none.
    private func candidates(for signature: OpenPGPSignature, in keys: [OpenPGPPublicKey]) throws -> [OpenPGPComponentKey] {
        let subpackets = signature.subpackets
        if let fingerprint = subpackets.issuerFingerprint, let keyID = subpackets.issuerKeyID,
            Array(fingerprint.suffix(8)) != keyID
        {
            throw SignatureFailure("malformed OpenPGP signature: its issuer key id and issuer fingerprint disagree")
        }
        let matches: [OpenPGPComponentKey]
        if let fingerprint = subpackets.issuerFingerprint {
            matches = keys.flatMap { $0.components(matchingFingerprint: fingerprint) }
        } else if let keyID = subpackets.issuerKeyID {
            matches = keys.flatMap { $0.components(matchingKeyID: keyID) }
        } else {
            let all = keys.flatMap(\.components).filter(\.canEverSign)
            guard !all.isEmpty else {
                throw SignatureFailure("signature names no issuer, and none of the account's keys can sign")
            }
            return all
        }
        guard !matches.isEmpty else {
            throw SignatureFailure("signature made by key \(signature.issuerKeyID ?? "?") which is not among the account's keys")
        }
        return matches
    }

    /// A signature that does not verify with a key (as opposed to a key that may not sign).
    private struct Mismatch: Error {
        var failure: SignatureFailure
    }
}
