import DehubCore
import DehubSignatures
import DehubTestSupport
import Testing

/// Armour as gpg writes it, and as people and tools mangle it.
@Suite struct OpenPGPArmorTests {
    let armored: String
    let fingerprint: String

    init() throws {
        let home = try GPGHome()
        defer { home.close() }
        fingerprint = try home.generateKey("Alice <a@x>")
        armored = try home.exportPublicKey(fingerprint)
    }

    var lines: [String] { armored.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test func parsesAsExported() throws {
        #expect(try OpenPGPPublicKey.parse(armored: armored).fingerprint == fingerprint)
    }

    @Test func toleratesMissingChecksumHeadersCRLFAndSurroundingText() throws {
        let withoutCRC = lines.filter { !($0.hasPrefix("=") && $0.count == 5) }.joined(separator: "\n")
        #expect(withoutCRC != armored)
        #expect(try OpenPGPPublicKey.parse(armored: withoutCRC).fingerprint == fingerprint)

        let crlf = lines.joined(separator: "\r\n")
        #expect(try OpenPGPPublicKey.parse(armored: crlf).fingerprint == fingerprint)

        var withHeader = lines
        withHeader.insert("Comment: Alice's key", at: 1)
        #expect(
            try OpenPGPPublicKey.parse(armored: "Here is my key:\n" + withHeader.joined(separator: "\n") + "\nThanks").fingerprint
                == fingerprint)
    }

    @Test func rejectsWrongChecksum() throws {
        let mangled = lines.map { $0.hasPrefix("=") && $0.count == 5 ? ($0 == "=AAAA" ? "=AAAB" : "=AAAA") : $0 }.joined(
            separator: "\n")
        #expect(throws: SignatureFailure("malformed OpenPGP armour: CRC-24 checksum mismatch")) {
            try OpenPGPPublicKey.parse(armored: mangled)
        }
    }

    @Test func rejectsBrokenArmour() throws {
        #expect(throws: SignatureFailure("no OpenPGP armour found (expected -----BEGIN PGP ...-----)")) {
            try OpenPGPPublicKey.parse(armored: "ssh-ed25519 AAAA alice")
        }
        let noEnd = lines.filter { !$0.hasPrefix("-----END") }.joined(separator: "\n")
        #expect(throws: SignatureFailure("malformed OpenPGP armour: missing -----END PGP PUBLIC KEY BLOCK-----")) {
            try OpenPGPPublicKey.parse(armored: noEnd)
        }
        let wrongEnd = armored.replacingOccurrences(of: "END PGP PUBLIC KEY BLOCK", with: "END PGP SIGNATURE")
        #expect(throws: SignatureFailure("malformed OpenPGP armour: BEGIN PGP PUBLIC KEY BLOCK ends with END PGP SIGNATURE")) {
            try OpenPGPPublicKey.parse(armored: wrongEnd)
        }
        var badBase64 = lines
        badBase64[3] = "*" + badBase64[3].dropFirst()
        #expect(throws: SignatureFailure("malformed OpenPGP armour: invalid base64")) {
            try OpenPGPPublicKey.parse(armored: badBase64.joined(separator: "\n"))
        }
        let signatureLabel = armored.replacingOccurrences(of: "PUBLIC KEY BLOCK", with: "SIGNATURE")
        #expect(throws: SignatureFailure("expected -----BEGIN PGP PUBLIC KEY BLOCK-----, found BEGIN PGP SIGNATURE")) {
            try OpenPGPPublicKey.parse(armored: signatureLabel)
        }
    }

    @Test func rejectsSecretKeys() throws {
        let home = try GPGHome()
        defer { home.close() }
        let fingerprint = try home.generateKey("Alice <a@x>")
        let secret = try home.gpg([
            "--armor", "--pinentry-mode", "loopback", "--passphrase", "", "--export-secret-keys", fingerprint,
        ]).stdoutText
        #expect(throws: SignatureFailure("this is a secret key; give the public key instead (gpg --export --armor KEY)")) {
            try OpenPGPPublicKey.parse(armored: secret)
        }
        let relabelled = secret.replacingOccurrences(of: "PRIVATE KEY BLOCK", with: "PUBLIC KEY BLOCK")
        #expect(throws: SignatureFailure("this is a secret key; give the public key instead (gpg --export --armor KEY)")) {
            try OpenPGPPublicKey.parse(armored: relabelled)
        }
    }

    @Test func parsesArmouredSignature() throws {
        let home = try GPGHome()
        defer { home.close() }
        let fingerprint = try home.generateKey("Alice <a@x>")
        let text = try home.gpg(
            ["--armor", "--local-user", fingerprint, "--detach-sign", "--output", "-"], input: Array("m".utf8)
        ).stdoutText
        #expect(try OpenPGPSignature.parse(armored: text).issuerFingerprint == fingerprint)
    }
}
