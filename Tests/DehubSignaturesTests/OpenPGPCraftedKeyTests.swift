import Crypto
import DehubCore
import DehubSignatures
import Testing

/// Keys and signatures built byte by byte, for the cases gpg will not make: RFC 9580 Ed25519 (algorithm 27)
/// keys, odd key flags, critical subpackets, refused hashes, forged bindings.
@Suite struct OpenPGPCraftedKeyTests {
    let message = Array("crafted".utf8)
    let verifier = OpenPGPVerifier()
    static let created: UInt32 = 1_600_000_000

    @Test func ed25519Algorithm27KeyVerifies() throws {
        let alice = OpenPGPCraftedKey(algorithm: 27)
        let key = try alice.certificate()
        #expect(key.fingerprint == pgpHex(alice.fingerprint))
        #expect(key.primaryKeyID == pgpHex(alice.fingerprint.suffix(8)))
        let signature = alice.dataSignature(over: message)
        #expect(try verifier.verify(signature: signature, over: message, keys: [key]).signingKeyID == key.primaryKeyID)
    }

    @Test func legacyEdDSAKeyBuiltByHandVerifies() throws {
        let alice = OpenPGPCraftedKey(algorithm: 22)
        let signature = alice.dataSignature(over: message)
        #expect(
            try verifier.verify(signature: signature, over: message, keys: [alice.certificate()]).signingKeyID
                == pgpHex(alice.fingerprint.suffix(8)))
    }

    @Test func primaryWithoutKeyFlagsSigns() throws {
        let alice = OpenPGPCraftedKey()
        let key = try alice.certificate(selfSignatureSubpackets: alice.baseSubpackets())
        #expect(key.signingKeyIDs == [key.primaryKeyID])
        #expect(throws: Never.self) {
            try verifier.verify(signature: alice.dataSignature(over: message), over: message, keys: [key])
        }
    }

    @Test func certifyOnlyPrimaryDoesNotSign() throws {
        let alice = OpenPGPCraftedKey()
        let key = try alice.certificate(selfSignatureSubpackets: alice.baseSubpackets() + [pgpSubpacket(27, [0x01])])
        #expect(key.signingKeyIDs.isEmpty)
        #expect(throws: SignatureFailure("key \(key.primaryKeyID) cannot sign: its key flags do not allow signing")) {
            try verifier.verify(signature: alice.dataSignature(over: message), over: message, keys: [key])
        }
    }

    @Test func keyWithoutSelfSignatureIsUnusable() throws {
        let alice = OpenPGPCraftedKey()
        let key = try OpenPGPPublicKey.parseAll(binary: pgpPacket(6, alice.body) + pgpPacket(13, Array("A <a@x>".utf8)))[0]
        #expect(throws: SignatureFailure("key \(key.primaryKeyID) cannot sign: it has no valid self-signature")) {
            try verifier.verify(signature: alice.dataSignature(over: message), over: message, keys: [key])
        }
    }

    /// Attack: Mallory makes a "self-signature" for Alice's key with Mallory's key, naming Alice as issuer,
    /// hoping a verifier trusts the issuer field. It must not count.
    @Test func selfSignatureMadeByAnotherKeyDoesNotCount() throws {
        let alice = OpenPGPCraftedKey(), mallory = OpenPGPCraftedKey()
        let forged = mallory.signature(type: 0x13, hashed: alice.baseSubpackets(), over: alice.userIDData("A <a@x>"))
        let key = try OpenPGPPublicKey.parseAll(
            binary: pgpPacket(6, alice.body) + pgpPacket(13, Array("A <a@x>".utf8)) + pgpPacket(2, forged))[0]
        #expect(key.signingKeyIDs.isEmpty)
    }

    @Test func unknownCriticalSubpacketIsRefusedAndUnknownOtherIsIgnored() throws {
        let alice = OpenPGPCraftedKey()
        let key = try alice.certificate()
        let critical = alice.dataSignature(over: message, extraHashed: [pgpSubpacket(100, [1, 2], critical: true)])
        #expect(throws: SignatureFailure("signature has a critical subpacket dehub does not understand (type 100)")) {
            try verifier.verify(signature: critical, over: message, keys: [key])
        }
        let criticalNotation = alice.dataSignature(
            over: message, extraHashed: [pgpSubpacket(20, [0x80, 0, 0, 0, 0, 1, 0, 1, 0x61, 0x62], critical: true)])
        #expect(throws: SignatureFailure("signature has a critical subpacket dehub does not understand (type 20)")) {
            try verifier.verify(signature: criticalNotation, over: message, keys: [key])
        }
        let harmless = alice.dataSignature(over: message, extraHashed: [pgpSubpacket(100, [1, 2])])
        #expect(throws: Never.self) { try verifier.verify(signature: harmless, over: message, keys: [key]) }
    }

    @Test(arguments: [(1, "MD5"), (3, "RIPEMD-160"), (11, "SHA-224"), (12, "SHA3-256"), (99, "#99")])
    func refusedHashAlgorithms(id: UInt8, name: String) throws {
        let alice = OpenPGPCraftedKey()
        let signature = alice.dataSignature(over: message, hashAlgorithm: id)
        #expect(
            throws: SignatureFailure(
                "signature uses hash algorithm \(name), which dehub does not accept (use SHA-256 or stronger)")
        ) {
            try verifier.verify(signature: signature, over: message, keys: [alice.certificate()])
        }
    }

    @Test func signatureOlderThanKeyIsRefused() throws {
        let alice = OpenPGPCraftedKey()
        let key = try alice.certificate()
        let signature = alice.dataSignature(over: message, at: Self.created - 60)
        #expect(
            throws: SignatureFailure(
                "signature is dated 2020-09-13 12:25:40 UTC, before key \(key.primaryKeyID) was created (2020-09-13 12:26:40 UTC)"
            )
        ) {
            try verifier.verify(signature: signature, over: message, keys: [key])
        }
    }

    @Test func signatureWithoutCreationTimeIsRefused() throws {
        let alice = OpenPGPCraftedKey()
        let signature = alice.signature(type: 0x00, hashed: [pgpSubpacket(33, [4] + alice.fingerprint)], over: message)
        #expect(throws: SignatureFailure("malformed OpenPGP signature: no creation time in its hashed subpackets")) {
            try verifier.verify(signature: pgpPacket(2, signature), over: message, keys: [alice.certificate()])
        }
    }

    @Test func signatureWithoutIssuerIsMatchedByTrying() throws {
        let alice = OpenPGPCraftedKey(), bob = OpenPGPCraftedKey()
        let signature = pgpPacket(
            2, alice.signature(type: 0x00, hashed: [pgpSubpacket(2, pgpBE32(Self.created + 10))], over: message))
        #expect(try OpenPGPSignature.parse(binary: signature).issuerKeyID == nil)
        let signer = try verifier.verify(signature: signature, over: message, keys: [bob.certificate(), alice.certificate()])
        #expect(signer.primaryKeyID == pgpHex(alice.fingerprint.suffix(8)))
        #expect(throws: SignatureFailure.self) {
            try verifier.verify(signature: signature, over: message, keys: [bob.certificate()])
        }
    }

    @Test func disagreeingIssuerSubpacketsAreRefused() throws {
        let alice = OpenPGPCraftedKey()
        let signature = alice.dataSignature(over: message, unhashed: [pgpSubpacket(16, [1, 2, 3, 4, 5, 6, 7, 8])])
        #expect(throws: SignatureFailure("malformed OpenPGP signature: its issuer key id and issuer fingerprint disagree")) {
            try verifier.verify(signature: signature, over: message, keys: [alice.certificate()])
        }
    }

    @Test func signingSubkeyNeedsCrossCertification() throws {
        let alice = OpenPGPCraftedKey(), subkey = OpenPGPCraftedKey()
        let withCross = try alice.certificate(subkeys: [
            (subkey, alice.binding(of: subkey, flags: 0x02, crossCertifiedBy: subkey))
        ])
        #expect(withCross.signingKeyIDs.contains(pgpHex(subkey.fingerprint.suffix(8))))
        let signature = subkey.dataSignature(over: message)
        #expect(
            try verifier.verify(signature: signature, over: message, keys: [withCross])
                == OpenPGPSigner(signingKeyID: pgpHex(subkey.fingerprint.suffix(8)), primaryKeyID: withCross.primaryKeyID))

        let withoutCross = try alice.certificate(subkeys: [
            (subkey, alice.binding(of: subkey, flags: 0x02, crossCertifiedBy: nil))
        ])
        #expect(
            throws: SignatureFailure(
                "subkey \(pgpHex(subkey.fingerprint.suffix(8))) of key \(withoutCross.primaryKeyID) cannot sign: it has no valid primary key binding signature (cross-certification)"
            )
        ) {
            try verifier.verify(signature: signature, over: message, keys: [withoutCross])
        }
    }

    /// Attack: Mallory binds Alice's signing subkey to Mallory's own primary key, copying Alice's
    /// cross-certification, so that Alice's signatures would count for Mallory's account. The copied
    /// cross-certification covers Alice's primary, not Mallory's, so the subkey must not sign for Mallory.
    @Test func stolenSigningSubkeyDoesNotSignForThief() throws {
        let alice = OpenPGPCraftedKey(), mallory = OpenPGPCraftedKey(), subkey = OpenPGPCraftedKey()
        let aliceCross = alice.crossCertification(of: subkey)
        let malloryBinding = mallory.binding(of: subkey, flags: 0x02, embedded: aliceCross)
        let malloryKey = try mallory.certificate(subkeys: [(subkey, malloryBinding)])
        #expect(!malloryKey.signingKeyIDs.contains(pgpHex(subkey.fingerprint.suffix(8))))
        #expect(throws: SignatureFailure.self) {
            try verifier.verify(signature: subkey.dataSignature(over: message), over: message, keys: [malloryKey])
        }
    }

    @Test func encryptionOnlySubkeyCannotSign() throws {
        let alice = OpenPGPCraftedKey(), subkey = OpenPGPCraftedKey()
        let key = try alice.certificate(subkeys: [(subkey, alice.binding(of: subkey, flags: 0x0C, crossCertifiedBy: subkey))])
        #expect(
            throws: SignatureFailure(
                "subkey \(pgpHex(subkey.fingerprint.suffix(8))) of key \(key.primaryKeyID) cannot sign: it is not a signing subkey (its key flags do not allow signing)"
            )
        ) {
            try verifier.verify(signature: subkey.dataSignature(over: message), over: message, keys: [key])
        }
    }

    @Test func subkeyExpiryIsJudgedAtSignatureTime() throws {
        let alice = OpenPGPCraftedKey(), subkey = OpenPGPCraftedKey()
        let binding = alice.binding(
            of: subkey, flags: 0x02, crossCertifiedBy: subkey, extraHashed: [pgpSubpacket(9, pgpBE32(3600))])
        let key = try alice.certificate(subkeys: [(subkey, binding)])
        #expect(throws: Never.self) {
            try verifier.verify(
                signature: subkey.dataSignature(over: message, at: Self.created + 3599), over: message, keys: [key])
        }
        #expect(
            throws: SignatureFailure(
                "subkey \(pgpHex(subkey.fingerprint.suffix(8))) of key \(key.primaryKeyID) expired on 2020-09-13 13:26:40 UTC")
        ) {
            try verifier.verify(
                signature: subkey.dataSignature(over: message, at: Self.created + 3600), over: message, keys: [key])
        }
    }

    @Test func revocationWithUncheckableHashStillRevokes() throws {
        let alice = OpenPGPCraftedKey()
        var revocation = alice.signature(type: 0x20, hashed: alice.baseSubpackets(), over: alice.keyData)
        revocation[3] = 1  // MD5: dehub cannot check it, so it fails closed
        let key = try OpenPGPPublicKey.parseAll(
            binary: pgpPacket(6, alice.body) + pgpPacket(2, revocation) + alice.userIDPackets())[0]
        #expect(key.isRevoked)
    }

    /// Attack: someone relaying a revoked key rewrites the issuer key id in the revocation's unsigned area,
    /// hoping the verifier skips it as a third-party signature. The revocation must still count.
    @Test func revocationWithRewrittenUnhashedIssuerStillRevokes() throws {
        let alice = OpenPGPCraftedKey()
        let revocation = alice.signature(
            type: 0x20, hashed: [pgpSubpacket(2, pgpBE32(OpenPGPCraftedKeyTests.created + 5))],
            unhashed: [pgpSubpacket(16, [1, 2, 3, 4, 5, 6, 7, 8])], over: alice.keyData
        )
        let key = try OpenPGPPublicKey.parseAll(
            binary: pgpPacket(6, alice.body) + pgpPacket(2, revocation) + alice.userIDPackets())[0]
        #expect(key.isRevoked)
        #expect(throws: SignatureFailure("key \(key.primaryKeyID) is revoked")) {
            try verifier.verify(signature: alice.dataSignature(over: message), over: message, keys: [key])
        }
    }

    @Test func partialBodyLengthsAreRefused() throws {
        let alice = OpenPGPCraftedKey()
        let body = alice.signature(type: 0x00, hashed: alice.baseSubpackets(), over: message)
        // New-format header with a partial length of 1 << 0 = 1 byte (0xE0), then the rest.
        let partial = [0xC2, 0xE0, body[0]] + [UInt8(body.count - 1)] + body.dropFirst()
        #expect(throws: SignatureFailure("malformed OpenPGP signature: partial body lengths are not accepted here")) {
            try OpenPGPSignature.parse(binary: partial)
        }
        // The same packet with a new-format definite length parses.
        #expect(throws: Never.self) { try OpenPGPSignature.parse(binary: [0xC2, UInt8(body.count)] + body) }
    }
}

// MARK: - A minimal OpenPGP writer for the tests above

/// An Ed25519 key (algorithm 27, or legacy EdDSA 22) that can sign whatever a test needs.
struct OpenPGPCraftedKey {
    let secret = Curve25519.Signing.PrivateKey()
    var algorithm: UInt8 = 27
    var created = OpenPGPCraftedKeyTests.created

    init(algorithm: UInt8 = 27) { self.algorithm = algorithm }

    var body: [UInt8] {
        let raw = Array(secret.publicKey.rawRepresentation)
        if algorithm == 22 {
            let oid: [UInt8] = [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01]
            return [4] + pgpBE32(created) + [22, UInt8(oid.count)] + oid + [0x01, 0x07, 0x40] + raw
        }
        return [4] + pgpBE32(created) + [27] + raw
    }
    var keyData: [UInt8] { [0x99, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body }
    var fingerprint: [UInt8] { Array(Insecure.SHA1.hash(data: keyData)) }

    func userIDData(_ userID: String) -> [UInt8] {
        keyData + [0xB4] + pgpBE32(UInt32(userID.utf8.count)) + Array(userID.utf8)
    }

    func baseSubpackets(at time: UInt32? = nil) -> [[UInt8]] {
        [pgpSubpacket(2, pgpBE32(time ?? created)), pgpSubpacket(33, [4] + fingerprint)]
    }

    func userIDPackets(_ selfSignatureSubpackets: [[UInt8]]? = nil) -> [UInt8] {
        let subpackets = selfSignatureSubpackets ?? (baseSubpackets() + [pgpSubpacket(27, [0x03])])
        return pgpPacket(13, Array("A <a@x>".utf8))
            + pgpPacket(2, signature(type: 0x13, hashed: subpackets, over: userIDData("A <a@x>")))
    }

    func certificate(selfSignatureSubpackets: [[UInt8]]? = nil, subkeys: [(OpenPGPCraftedKey, [UInt8])] = []) throws
        -> OpenPGPPublicKey
    {
        var bytes = pgpPacket(6, body) + userIDPackets(selfSignatureSubpackets)
        for (subkey, binding) in subkeys { bytes += pgpPacket(14, subkey.body) + pgpPacket(2, binding) }
        return try OpenPGPPublicKey.parseAll(binary: bytes)[0]
    }

    /// Body of a 0x19 signature by `self` (as subkey) over `primary` ‖ `self`.
    func crossCertificationBody(for primary: OpenPGPCraftedKey) -> [UInt8] {
        signature(type: 0x19, hashed: baseSubpackets(), over: primary.keyData + keyData)
    }

    func crossCertification(of subkey: OpenPGPCraftedKey) -> [UInt8] { subkey.crossCertificationBody(for: self) }

    func binding(
        of subkey: OpenPGPCraftedKey, flags: UInt8, crossCertifiedBy cross: OpenPGPCraftedKey?, extraHashed: [[UInt8]] = []
    ) -> [UInt8] {
        binding(of: subkey, flags: flags, embedded: cross.map { $0.crossCertificationBody(for: self) }, extraHashed: extraHashed)
    }

    func binding(of subkey: OpenPGPCraftedKey, flags: UInt8, embedded: [UInt8]?, extraHashed: [[UInt8]] = []) -> [UInt8] {
        signature(
            type: 0x18, hashed: baseSubpackets() + [pgpSubpacket(27, [flags])] + extraHashed,
            unhashed: embedded.map { [pgpSubpacket(32, $0)] } ?? [], over: keyData + subkey.keyData
        )
    }

    func dataSignature(
        over message: [UInt8], at time: UInt32? = nil, hashAlgorithm: UInt8 = 8, extraHashed: [[UInt8]] = [],
        unhashed: [[UInt8]] = []
    ) -> [UInt8] {
        pgpPacket(
            2,
            signature(
                type: 0x00, hashed: baseSubpackets(at: time ?? created + 10) + extraHashed, unhashed: unhashed, over: message,
                hashAlgorithm: hashAlgorithm))
    }

    /// A v4 signature packet body of `type` over `data`, hashed with SHA-256 (the id may claim another hash).
    func signature(type: UInt8, hashed: [[UInt8]], unhashed: [[UInt8]] = [], over data: [UInt8], hashAlgorithm: UInt8 = 8)
        -> [UInt8]
    {
        let hashedArea = hashed.flatMap { $0 }, unhashedArea = unhashed.flatMap { $0 }
        let hashedPart = [4, type, algorithm, hashAlgorithm] + pgpBE16(hashedArea.count) + hashedArea
        let digest = Array(SHA256.hash(data: data + hashedPart + [0x04, 0xFF] + pgpBE32(UInt32(hashedPart.count))))
        let value = Array(try! secret.signature(for: digest))
        let encoded = algorithm == 22 ? pgpMPI(Array(value[0..<32])) + pgpMPI(Array(value[32...])) : value
        return hashedPart + pgpBE16(unhashedArea.count) + unhashedArea + digest[0..<2] + encoded
    }
}

func pgpPacket(_ tag: UInt8, _ body: [UInt8]) -> [UInt8] {
    precondition(body.count < 8384)
    if body.count < 192 { return [0xC0 | tag, UInt8(body.count)] + body }
    let length = body.count - 192
    return [0xC0 | tag, UInt8(length >> 8 + 192), UInt8(length & 0xFF)] + body
}

func pgpSubpacket(_ type: UInt8, _ body: [UInt8], critical: Bool = false) -> [UInt8] {
    [UInt8(body.count + 1), critical ? type | 0x80 : type] + body
}

func pgpMPI(_ bytes: [UInt8]) -> [UInt8] {
    let value = Array(bytes.drop(while: { $0 == 0 }))
    let bits = value.first.map { value.count * 8 - $0.leadingZeroBitCount } ?? 0
    return pgpBE16(bits) + value
}

func pgpBE16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
func pgpBE32(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}
func pgpHex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map {
        String($0, radix: 16, uppercase: true).count == 1
            ? "0" + String($0, radix: 16, uppercase: true) : String($0, radix: 16, uppercase: true)
    }.joined()
}
