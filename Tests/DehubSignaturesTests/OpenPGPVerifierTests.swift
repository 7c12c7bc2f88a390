import DehubCore
import DehubSignatures
import DehubTestSupport
import Testing

/// The in-process verifier against real gpg: keys made and signatures made by `gpg`, and `gpg --verify`
/// run on the same bytes, so each case shows both verdicts agree.
@Suite struct OpenPGPVerifierTests {
    let message = Array("dehub fingerprint: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g".utf8)
    let verifier = OpenPGPVerifier()

    @Test func ed25519SignatureVerifiesLikeGPG() throws {
        let home = try GPGHome()
        defer { home.close() }
        let fingerprint = try home.generateKey("Alice <a@x>", algorithm: "ed25519")
        let key = try OpenPGPPublicKey.parse(armored: home.exportPublicKey(fingerprint))
        #expect(key.fingerprint == fingerprint)
        #expect(key.primaryKeyID == String(fingerprint.suffix(16)))
        #expect(key.signingKeyIDs == [key.primaryKeyID])
        #expect(key.userIDs == ["Alice <a@x>"])

        let signature = try home.detachSign(message, key: fingerprint)
        #expect(try home.verify(signature: signature, message: message).isGood)
        let signer = try verifier.verify(signature: signature, over: message, keys: [key])
        #expect(signer == OpenPGPSigner(signingKeyID: key.primaryKeyID, primaryKeyID: key.primaryKeyID))
        #expect(try OpenPGPSignature.parse(binary: signature).issuerKeyID == key.primaryKeyID)
    }

    @Test(arguments: [nil, "SHA256", "SHA384", "SHA512", "SHA1"])
    func rsa3072SignatureVerifiesLikeGPG(digest: String?) throws {
        let home = try GPGHome()
        defer { home.close() }
        let fingerprint = try home.generateKey("Bob <b@x>", algorithm: "rsa3072")
        let key = try OpenPGPPublicKey.parse(armored: home.exportPublicKey(fingerprint))
        let signature = try home.detachSign(message, key: fingerprint, digest: digest)
        #expect(try home.verify(signature: signature, message: message).isGood)
        let signer = try verifier.verify(signature: signature, over: message, keys: [key])
        #expect(signer.signingKeyID == key.primaryKeyID)
        if digest == "SHA1" {
            #expect(
                throws: SignatureFailure("signature uses SHA-1, which is no longer accepted: sign again with SHA-256 or stronger")
            ) {
                try OpenPGPVerifier(acceptsSHA1: false).verify(signature: signature, over: message, keys: [key])
            }
        }
    }

    @Test func signatureBySigningSubkeyNamesSubkeyAndPrimary() throws {
        let home = try GPGHome()
        defer { home.close() }
        let primary = try home.generateKey("Carol <c@x>", algorithm: "ed25519")
        let encryption = try home.addSubkey(to: primary, algorithm: "cv25519", usage: "encr")
        let signing = try home.addSubkey(to: primary, algorithm: "ed25519", usage: "sign")
        let key = try OpenPGPPublicKey.parse(armored: home.exportPublicKey(primary))
        #expect(key.allKeyIDs == [primary, encryption, signing].map { String($0.suffix(16)) })
        #expect(key.signingKeyIDs == [primary, signing].map { String($0.suffix(16)) })

        let signature = try home.detachSign(message, key: primary)
        let gpg = try home.verify(signature: signature, message: message)
        #expect(gpg.isGood && gpg.signingFingerprint == signing)
        let signer = try verifier.verify(signature: signature, over: message, keys: [key])
        #expect(signer == OpenPGPSigner(signingKeyID: String(signing.suffix(16)), primaryKeyID: key.primaryKeyID))
    }

    @Test func rsaSigningSubkeyOnEd25519Primary() throws {
        let home = try GPGHome()
        defer { home.close() }
        let primary = try home.generateKey("Dan <d@x>", algorithm: "ed25519", usage: "cert")
        let signing = try home.addSubkey(to: primary, algorithm: "rsa3072", usage: "sign")
        let key = try OpenPGPPublicKey.parse(armored: home.exportPublicKey(primary))
        #expect(key.signingKeyIDs == [String(signing.suffix(16))], "a certify-only primary does not sign")
        let signature = try home.detachSign(message, key: primary)
        #expect(try home.verify(signature: signature, message: message).isGood)
        #expect(try verifier.verify(signature: signature, over: message, keys: [key]).signingKeyID == String(signing.suffix(16)))
    }

    @Test func tamperedMessageIsRejectedLikeGPG() throws {
        let home = try GPGHome()
        defer { home.close() }
        let fingerprint = try home.generateKey("Alice <a@x>")
        let key = try OpenPGPPublicKey.parse(armored: home.exportPublicKey(fingerprint))
        let signature = try home.detachSign(message, key: fingerprint)
        var tampered = message
        tampered[3] ^= 0x01
        #expect(try home.verify(signature: signature, message: tampered).isBad)
        #expect(throws: SignatureFailure("bad signature: it does not match the signed data and key \(key.primaryKeyID)")) {
            try verifier.verify(signature: signature, over: tampered, keys: [key])
        }
    }

    @Test(arguments: ["ed25519", "rsa3072"])
    func tamperedSignatureIsRejectedLikeGPG(algorithm: String) throws {
        let home = try GPGHome()
        defer { home.close() }
        let fingerprint = try home.generateKey("Alice <a@x>", algorithm: algorithm)
        let key = try OpenPGPPublicKey.parse(armored: home.exportPublicKey(fingerprint))
        let signature = try home.detachSign(message, key: fingerprint)
        // The last byte is inside the signature value; byte 20 lies in the hashed subpackets.
        for index in [signature.count - 1, signature.count - 20, 20] {
            var tampered = signature
            tampered[index] ^= 0x40
            #expect(try !home.verify(signature: tampered, message: message).isValid)
            #expect(throws: SignatureFailure.self) { try verifier.verify(signature: tampered, over: message, keys: [key]) }
        }
    }

    @Test func signatureByAnotherKeyIsRejectedLikeGPG() throws {
        let home = try GPGHome()
        defer { home.close() }
        let alice = try home.generateKey("Alice <a@x>")
        let mallory = try home.generateKey("Mallory <m@x>")
        let aliceKey = try OpenPGPPublicKey.parse(armored: home.exportPublicKey(alice))
        let signature = try home.detachSign(message, key: mallory)

        let aliceOnly = try GPGHome()
        defer { aliceOnly.close() }
        try aliceOnly.gpg(["--import"], input: Array(home.exportPublicKey(alice).utf8))
        let gpg = try aliceOnly.verify(signature: signature, message: message)
        #expect(!gpg.isValid && gpg.has("NO_PUBKEY"))
        #expect(throws: SignatureFailure("signature made by key \(mallory.suffix(16)) which is not among the account's keys")) {
            try verifier.verify(signature: signature, over: message, keys: [aliceKey])
        }
    }

    @Test func revokedKeyIsRejected() throws {
        let home = try GPGHome()
        defer { home.close() }
        let fingerprint = try home.generateKey("Alice <a@x>")
        let signature = try home.detachSign(message, key: fingerprint)
        try home.revokeKey(fingerprint)
        let key = try OpenPGPPublicKey.parse(armored: home.exportPublicKey(fingerprint))
        #expect(key.isRevoked && key.signingKeyIDs.isEmpty)
        #expect(try home.verify(signature: signature, message: message).has("REVKEYSIG"))
        #expect(throws: SignatureFailure("key \(key.primaryKeyID) is revoked")) {
            try verifier.verify(signature: signature, over: message, keys: [key])
        }
    }

    @Test func revokedSubkeyIsRejected() throws {
        let home = try GPGHome()
        defer { home.close() }
        let primary = try home.generateKey("Carol <c@x>")
        let subkey = try home.addSubkey(to: primary)
        let signature = try home.detachSign(message, key: subkey + "!")
        try home.revokeSubkey(of: primary, index: 1)
        let key = try OpenPGPPublicKey.parse(armored: home.exportPublicKey(primary))
        #expect(key.signingKeyIDs == [key.primaryKeyID])
        #expect(try home.verify(signature: signature, message: message).has("REVKEYSIG"))
        #expect(throws: SignatureFailure("subkey \(subkey.suffix(16)) of key \(key.primaryKeyID) is revoked")) {
            try verifier.verify(signature: signature, over: message, keys: [key])
        }
        // The primary key itself still signs.
        let byPrimary = try home.detachSign(message, key: primary + "!")
        #expect(try verifier.verify(signature: byPrimary, over: message, keys: [key]).signingKeyID == key.primaryKeyID)
    }

    /// Expiry is judged at the signature's creation time: a signature made while the key was valid stays
    /// valid after the key expired (gpg also finds both VALIDSIG, and flags the key EXPKEYSIG today).
    @Test func expiryIsJudgedAtSignatureTime() throws {
        let home = try GPGHome()
        defer { home.close() }
        let fingerprint = try home.generateKey("Old <o@x>", at: "20200101T000000")
        let before = try home.detachSign(message, key: fingerprint, at: "20200101T120000")
        let after = try home.detachSign(message, key: fingerprint, at: "20200103T120000")
        try home.setExpiry(fingerprint, "1d", at: "20200102T000000")  // expires 2020-01-03 00:00:00
        let key = try OpenPGPPublicKey.parse(armored: home.exportPublicKey(fingerprint))

        let gpgBefore = try home.verify(signature: before, message: message)
        let gpgAfter = try home.verify(signature: after, message: message)
        #expect(gpgBefore.isValid && gpgAfter.isValid && gpgAfter.has("EXPKEYSIG"))
        #expect(try verifier.verify(signature: before, over: message, keys: [key]).signingKeyID == key.primaryKeyID)
        #expect(throws: SignatureFailure("key \(key.primaryKeyID) expired on 2020-01-03 00:00:00 UTC")) {
            try verifier.verify(signature: after, over: message, keys: [key])
        }
    }

    @Test func textModeSignatureIsRefused() throws {
        let home = try GPGHome()
        defer { home.close() }
        let fingerprint = try home.generateKey("Alice <a@x>")
        let key = try OpenPGPPublicKey.parse(armored: home.exportPublicKey(fingerprint))
        let signature = try home.gpg(
            ["--textmode", "--local-user", fingerprint, "--detach-sign", "--output", "-"], input: message
        ).stdout
        #expect(
            throws: SignatureFailure(
                "signature type 0x01 (a text signature) is not accepted: dehub needs a binary document signature (type 0x00)")
        ) {
            try verifier.verify(signature: signature, over: message, keys: [key])
        }
    }

    @Test func keyOfSeveralAccountsIsFoundAmongMany() throws {
        let home = try GPGHome()
        defer { home.close() }
        let alice = try home.generateKey("Alice <a@x>")
        let bob = try home.generateKey("Bob <b@x>", algorithm: "rsa3072")
        let keys = try [alice, bob].map { try OpenPGPPublicKey.parse(armored: home.exportPublicKey($0)) }
        let signature = try home.detachSign(message, key: bob)
        #expect(try verifier.verify(signature: signature, over: message, keys: keys).primaryKeyID == String(bob.suffix(16)))
        // Both keys exported in one block parse as two keys.
        let both = try home.gpg(["--armor", "--export", alice, bob]).stdoutText
        #expect(try OpenPGPPublicKey.parseAll(armored: both).map(\.fingerprint) == [alice, bob])
        #expect(throws: SignatureFailure("expected one OpenPGP public key, found 2 in the key block")) {
            try OpenPGPPublicKey.parse(armored: both)
        }
    }
}
