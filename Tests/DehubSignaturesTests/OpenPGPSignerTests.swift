import DehubCore
import DehubSignatures
import DehubTestSupport
import Testing

/// Signing through gpgme, checked by gpg and by the in-process verifier.
@Suite struct OpenPGPSignerTests {
    let message = Array("dehub credential".utf8)

    @Test(arguments: ["ed25519", "rsa3072"])
    func gpgmeSignatureVerifies(algorithm: String) throws {
        let home = try GPGHome()
        defer { home.close() }
        let fingerprint = try home.generateKey("Alice <a@x>", algorithm: algorithm)
        let signature = try GPGMESigner.sign(message, key: fingerprint, gnupgHome: home.path)
        #expect(signature.first.map { $0 & 0x80 != 0 } == true, "binary, not armoured")
        #expect(try home.verify(signature: signature, message: message).isGood)

        let armored = try GPGMESigner.exportPublicKey(fingerprint, gnupgHome: home.path)
        #expect(armored.hasPrefix("-----BEGIN PGP PUBLIC KEY BLOCK-----"))
        let key = try OpenPGPPublicKey.parse(armored: armored)
        #expect(key.fingerprint == fingerprint)
        #expect(try OpenPGPVerifier().verify(signature: signature, over: message, keys: [key]).signingKeyID == key.primaryKeyID)
    }

    @Test func signsByUserIDWithTheSigningSubkey() throws {
        let home = try GPGHome()
        defer { home.close() }
        let primary = try home.generateKey("Carol <c@x>")
        let subkey = try home.addSubkey(to: primary)
        let signature = try GPGMESigner.sign(message, key: "c@x", gnupgHome: home.path)
        let key = try OpenPGPPublicKey.parse(armored: GPGMESigner.exportPublicKey("Carol", gnupgHome: home.path))
        #expect(
            try OpenPGPVerifier().verify(signature: signature, over: message, keys: [key])
                == OpenPGPSigner(signingKeyID: String(subkey.suffix(16)), primaryKeyID: String(primary.suffix(16))))
    }

    @Test func listsSecretKeyIDs() throws {
        let home = try GPGHome()
        defer { home.close() }
        let alice = try home.generateKey("Alice <a@x>")
        let bob = try home.generateKey("Bob <b@x>")
        #expect(try GPGMESigner.secretKeyIDs(gnupgHome: home.path) == [alice, bob].map { String($0.suffix(16)) })

        // A public key alone is not a secret key.
        let other = try GPGHome()
        defer { other.close() }
        try other.gpg(["--import"], input: Array(home.exportPublicKey(alice).utf8))
        #expect(try GPGMESigner.secretKeyIDs(gnupgHome: other.path).isEmpty)
        #expect(throws: GPGMEFailure("no secret key for \(alice): import it into gpg or pass --anon-pgp-key")) {
            try GPGMESigner.sign(message, key: alice, gnupgHome: other.path)
        }
    }

    @Test func refusesRevokedSecretKey() throws {
        let home = try GPGHome()
        defer { home.close() }
        let fingerprint = try home.generateKey("Alice <a@x>")
        try home.revokeKey(fingerprint)
        #expect(
            throws: GPGMEFailure(
                "secret key \(fingerprint.suffix(16)) cannot sign (it is revoked, expired, disabled or has no signing capability)"
            )
        ) {
            try GPGMESigner.sign(message, key: fingerprint, gnupgHome: home.path)
        }
        #expect(try GPGMESigner.secretKeyIDs(gnupgHome: home.path).isEmpty)
    }

    @Test func reportsMissingAndAmbiguousKeys() throws {
        let home = try GPGHome()
        defer { home.close() }
        try home.generateKey("Alice <a@x>")
        try home.generateKey("Alice Two <a2@x>")
        #expect(throws: GPGMEFailure("no secret key for nobody@x: import it into gpg or pass --anon-pgp-key")) {
            try GPGMESigner.sign(message, key: "nobody@x", gnupgHome: home.path)
        }
        #expect(throws: GPGMEFailure("no public key for nobody@x in gpg's keyring")) {
            try GPGMESigner.exportPublicKey("nobody@x", gnupgHome: home.path)
        }
        #expect(throws: GPGMEFailure.self) { try GPGMESigner.sign(message, key: "Alice", gnupgHome: home.path) }
    }
}
