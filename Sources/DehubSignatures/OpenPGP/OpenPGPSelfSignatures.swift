import DehubCore

/// Checks the signatures a key makes about itself (RFC 9580 §5.2.1, §10.1): user ID self-certifications and
/// direct-key signatures on the primary, bindings on subkeys, and revocations of either.
/// Only signatures issued by the primary key are checked; third-party certifications are ignored.
struct OpenPGPSelfSignatures {
    let primary: OpenPGPKeyPacket
    /// Cryptographic checks left for this key, against blocks built to waste time.
    private var budget = 256

    init(primary: OpenPGPKeyPacket) {
        self.primary = primary
    }

    /// Evaluates the primary key and its subkeys.
    static func evaluate(_ packets: OpenPGPCertificatePackets) throws -> (
        primary: OpenPGPComponentKey, subkeys: [OpenPGPComponentKey]
    ) {
        var checker = OpenPGPSelfSignatures(primary: packets.primary)
        let (primary, problem) = try checker.evaluatePrimary(packets)
        var subkeys: [OpenPGPComponentKey] = []
        for subkey in packets.subkeys {
            var component = try checker.evaluateSubkey(subkey)
            if primary.isRevoked { component.isRevoked = true }
            if component.unusableReason == nil, let problem {
                component.unusableReason = "its primary key \(primary.keyID) is unusable (\(problem))"
            }
            // A subkey cannot outlive its primary key.
            component.expiresAt = [component.expiresAt, primary.expiresAt].compactMap { $0 }.min()
            subkeys.append(component)
        }
        return (primary, subkeys)
    }

    /// The primary key, and what makes the whole key unusable (nil when its self-signatures are in order).
    private mutating func evaluatePrimary(_ packets: OpenPGPCertificatePackets) throws -> (OpenPGPComponentKey, problem: String?)
    {
        var component = OpenPGPComponentKey(packet: primary, primaryKeyID: primary.keyID)
        if case .unusable(let reason) = primary.material {
            throw SignatureFailure("key \(primary.keyID) is not supported: \(reason)")
        }
        let keyData = [primary.hashPrefix[...]]
        // Key revocations belong right after the primary key; look everywhere in case a tool misplaced one.
        let everySignature =
            packets.directSignatures + packets.userIDs.flatMap(\.signatures) + packets.subkeys.flatMap(\.signatures)
        component.isRevoked = try isRevoked(by: everySignature, type: 0x20, over: keyData)

        var selfSignatures = try valid(packets.directSignatures, types: [0x1F], over: keyData)
        for userID in packets.userIDs {
            let count = UInt32(userID.bytes.count)
            let userIDData =
                keyData + [
                    [0xB4, UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)],
                    userID.bytes[...],
                ]
            let certifications = try valid(userID.signatures, types: [0x10, 0x11, 0x12, 0x13], over: userIDData)
            guard let latest = latest(certifications) else { continue }
            // A user ID whose latest self-statement is a revocation no longer vouches for the key.
            let revocations = try valid(userID.signatures, types: [0x30], over: userIDData)
            if let revocation = self.latest(revocations), (revocation.creationTime ?? 0) >= (latest.creationTime ?? 0) {
                continue
            }
            selfSignatures.append(latest)
        }
        guard let current = latest(selfSignatures) else {
            component.unusableReason = "it has no valid self-signature"
            return (component, component.unusableReason)
        }
        apply(current, to: &component)
        // Key flags on the primary: signing needs 0x02; a self-signature without key flags allows it.
        if let flags = current.subpackets.keyFlags, flags & 0x02 == 0 {
            component.unusableReason = "its key flags do not allow signing"
        }
        return (component, nil)
    }

    private mutating func evaluateSubkey(_ subkey: OpenPGPCertificatePackets.Subkey) throws -> OpenPGPComponentKey {
        var component = OpenPGPComponentKey(packet: subkey.key, primaryKeyID: primary.keyID)
        let bindingData = [primary.hashPrefix[...], subkey.key.hashPrefix[...]]
        component.isRevoked = try isRevoked(by: subkey.signatures, type: 0x28, over: bindingData)
        guard let binding = latest(try valid(subkey.signatures, types: [0x18], over: bindingData)) else {
            component.unusableReason = "it has no valid binding signature"
            return component
        }
        apply(binding, to: &component)
        if case .unusable(let reason) = subkey.key.material {
            component.unusableReason = reason
        } else if (binding.subpackets.keyFlags ?? 0) & 0x02 == 0 {
            component.unusableReason = "it is not a signing subkey (its key flags do not allow signing)"
        } else if !(try isCrossCertified(subkey.key, binding: binding, over: bindingData)) {
            component.unusableReason = "it has no valid primary key binding signature (cross-certification)"
        }
        return component
    }

    /// A signing subkey must sign the primary back (signature 0x19 embedded in its binding), or anyone
    /// could claim someone else's signing subkey as their own.
    private mutating func isCrossCertified(
        _ subkey: OpenPGPKeyPacket, binding: OpenPGPSignature, over data: [ArraySlice<UInt8>]
    ) throws -> Bool {
        for body in binding.subpackets.embeddedSignatures {
            guard let embedded = try? OpenPGPSignature(body: body), embedded.signatureType == 0x19 else { continue }
            if try isValid(embedded, by: subkey, over: data) { return true }
        }
        return false
    }

    private func apply(_ signature: OpenPGPSignature, to component: inout OpenPGPComponentKey) {
        let created = UInt64(component.packet.creationTime)
        if let seconds = signature.subpackets.keyExpirationSeconds, seconds > 0 {
            component.expiresAt = created + UInt64(seconds)
        }
        if let seconds = signature.expirationSeconds, let signed = signature.creationTime {
            component.bindingExpiresAt = UInt64(signed) + UInt64(seconds)
        }
    }

    /// True when a revocation of `type` verifies with the primary key. The issuer subpackets are not consulted:
    /// gpg puts the issuer key id in the unsigned area, where anyone could change it to hide a revocation.
    /// A revocation that uses a hash dehub cannot check also counts: failing closed beats missing one.
    private mutating func isRevoked(by signatures: [OpenPGPSignature], type: UInt8, over data: [ArraySlice<UInt8>]) throws -> Bool
    {
        for signature in signatures where signature.signatureType == type {
            guard (try? OpenPGPHashAlgorithm(id: signature.hashAlgorithmID)) != nil else { return true }
            if try isValid(signature, by: primary, over: data) { return true }
        }
        return false
    }

    private mutating func valid(_ signatures: [OpenPGPSignature], types: Set<UInt8>, over data: [ArraySlice<UInt8>]) throws
        -> [OpenPGPSignature]
    {
        var result: [OpenPGPSignature] = []
        for signature in signatures where types.contains(signature.signatureType) && isIssuedByPrimary(signature) {
            if try isValid(signature, by: primary, over: data) { result.append(signature) }
        }
        return result
    }

    private func isIssuedByPrimary(_ signature: OpenPGPSignature) -> Bool {
        if let fingerprint = signature.subpackets.issuerFingerprint { return fingerprint == primary.fingerprint }
        if let keyID = signature.subpackets.issuerKeyID { return keyID == Array(primary.fingerprint.suffix(8)) }
        return true
    }

    /// One self-signature check: well-formed, made after the key, no unknown critical subpacket, and it verifies.
    private mutating func isValid(_ signature: OpenPGPSignature, by key: OpenPGPKeyPacket, over data: [ArraySlice<UInt8>]) throws
        -> Bool
    {
        guard let created = signature.creationTime, created >= key.creationTime,
            signature.subpackets.unknownCriticalType == nil
        else { return false }
        budget -= 1
        guard budget >= 0 else {
            throw SignatureFailure("key \(primary.keyID) has too many self-signatures to check")
        }
        return (try? OpenPGPSignatureCheck.isValid(signature, by: key, over: data)) ?? false
    }

    private func latest(_ signatures: [OpenPGPSignature]) -> OpenPGPSignature? {
        signatures.max { ($0.creationTime ?? 0) < ($1.creationTime ?? 0) }
    }
}
