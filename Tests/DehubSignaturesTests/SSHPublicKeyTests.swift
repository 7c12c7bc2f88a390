import DehubCore
import DehubTestSupport
import Testing

@testable import DehubSignatures

private let sampleMessage = SSHSharedKeys.sampleMessage

@Suite("SSH public keys")
struct SSHPublicKeyTests {
    let keys = SSHSharedKeys.shared

    @Test("parses keys made by ssh-keygen, with ssh-keygen's fingerprint", arguments: SSHTestKeyType.allCases)
    func parsesRealKeys(type: SSHTestKeyType) throws {
        let made = keys.key(type)
        let key = try SSHPublicKey(line: made.publicKeyLine)
        let fingerprint = try CommandRunner.check("ssh-keygen", ["-l", "-E", "sha256", "-f", made.publicKeyPath])
            .stdoutText
        // "256 SHA256:abc… comment (ED25519)"
        #expect(fingerprint.split(separator: " ")[1] == key.fingerprint[...])
        #expect(key.comment == "\(type.rawValue)@dehub.test")
        #expect(made.publicKeyLine.hasPrefix(key.line + " "))
        #expect(try SSHPublicKey(blob: key.blob) == key)
        #expect(try SSHPublicKey(line: key.line).comment == nil)
    }

    @Test func keyTypes() throws {
        let expected: [SSHTestKeyType: SSHKeyType] = [
            .ed25519: .ed25519, .ecdsa256: .ecdsaP256, .ecdsa384: .ecdsaP384, .ecdsa521: .ecdsaP521, .rsa3072: .rsa,
        ]
        for (made, type) in expected { #expect(try SSHPublicKey(line: keys.key(made).publicKeyLine).keyType == type) }
    }

    @Test func equalityIsBlobEquality() throws {
        let line = keys.key(.ed25519).publicKeyLine
        let a = try SSHPublicKey(line: line)
        let b = try SSHPublicKey(line: a.line + " another comment")
        let other = try SSHPublicKey(line: keys.otherKey.publicKeyLine)
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a != other)
    }

    @Test func toleratesBlanksAndNewline() throws {
        let key = try SSHPublicKey(line: keys.key(.ed25519).publicKeyLine)
        let spaced = try SSHPublicKey(
            line: "  \(key.keyType.rawValue)\t \(Base64.encode(key.blob))   two words  \r\n")
        #expect(spaced == key)
        #expect(spaced.comment == "two words")
    }

    @Test(
        "rejects bad key lines with a precise message",
        arguments: [
            ("", "empty SSH public key"),
            ("   ", "empty SSH public key"),
            (
                "ssh-dss AAAAB3NzaC1kc3MAAACBAP",
                "unknown SSH key type 'ssh-dss' (supported: ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa)"
            ),
            ("ssh-ed25519", "SSH public key 'ssh-ed25519' has no key data"),
            ("ssh-ed25519 AAAA!!!!", "SSH public key 'ssh-ed25519' has bad base64 key data"),
            ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE", "SSH public key 'ssh-ed25519' has bad base64 key data"),
            ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==\nssh-ed25519 AAAA", "SSH public key must be a single line"),
            (
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5",
                "malformed SSH public key: truncated Ed25519 key: needs 4 bytes, 0 left"
            ),
        ])
    func rejectsBadLines(line: String, message: String) {
        #expect(throws: SSHKeyError(message)) { try SSHPublicKey(line: line) }
    }

    @Test func rejectsTypeMismatchBetweenLineAndBlob() throws {
        let ecdsa = try SSHPublicKey(line: keys.key(.ecdsa256).publicKeyLine)
        #expect(throws: SSHKeyError("SSH public key line says 'ssh-ed25519' but its key data is 'ecdsa-sha2-nistp256'")) {
            try SSHPublicKey(line: "ssh-ed25519 " + Base64.encode(ecdsa.blob))
        }
    }

    @Test func rejectsMalformedBlobs() throws {
        let ed = try SSHPublicKey(line: keys.key(.ed25519).publicKeyLine)
        #expect(throws: SSHKeyError("malformed SSH public key: 1 trailing bytes after the SSH public key")) {
            try SSHPublicKey(blob: ed.blob + [0])
        }
        #expect(
            throws: SSHKeyError("malformed SSH public key: truncated Ed25519 key: length 32 exceeds the 31 bytes left")
        ) {
            try SSHPublicKey(blob: Array(ed.blob.dropLast()))
        }
        #expect(throws: SSHKeyError("malformed SSH public key: truncated key type: needs 4 bytes, 2 left")) {
            try SSHPublicKey(blob: [0, 0])
        }
        var short = SSHWireWriter()
        short.string("ssh-ed25519")
        short.string([UInt8](repeating: 1, count: 31))
        #expect(throws: SSHKeyError("malformed SSH public key: Ed25519 key must be 32 bytes, got 31")) {
            try SSHPublicKey(blob: short.bytes)
        }
    }

    @Test func rejectsWrongCurveForType() throws {
        let p384 = try SSHPublicKey(line: keys.key(.ecdsa384).publicKeyLine)
        var reader = SSHWireReader(p384.blob)
        _ = try reader.string("type")
        _ = try reader.string("curve")
        let point = try reader.string("point")
        var wrongName = SSHWireWriter()
        wrongName.string("ecdsa-sha2-nistp256")
        wrongName.string("nistp384")
        wrongName.string(point)
        #expect(throws: SSHKeyError("SSH public key of type 'ecdsa-sha2-nistp256' names curve 'nistp384'")) {
            try SSHPublicKey(blob: wrongName.bytes)
        }
        var wrongPoint = SSHWireWriter()
        wrongPoint.string("ecdsa-sha2-nistp256")
        wrongPoint.string("nistp256")
        wrongPoint.string(point)
        #expect(
            throws: SSHKeyError("malformed SSH public key: ecdsa-sha2-nistp256 point must be 65 bytes starting with 04")
        ) {
            try SSHPublicKey(blob: wrongPoint.bytes)
        }
        var offCurve = SSHWireWriter()
        offCurve.string("ecdsa-sha2-nistp384")
        offCurve.string("nistp384")
        offCurve.string([4] + [UInt8](repeating: 7, count: 96))
        #expect(throws: SSHKeyError("malformed SSH public key: ecdsa-sha2-nistp384 point is not on the curve")) {
            try SSHPublicKey(blob: offCurve.bytes)
        }
    }

    @Test func rejectsSmallRSAKeys() throws {
        let workspace = try SSHTestWorkspace()
        let small = try CommandRunner.run(
            "ssh-keygen", ["-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", workspace.path("small")],
            environment: workspace.environment)
        try #require(small.succeeded, "this ssh-keygen refuses 1024-bit RSA keys: \(small.stderrText)")
        let line = try String(contentsOfFile: workspace.path("small.pub"), encoding: .utf8)
        #expect(throws: SSHKeyError("SSH RSA key has 1024 bits; at least 2048 are required")) {
            try SSHPublicKey(line: line)
        }
    }

    @Test func rejectsNonMinimalRSAIntegers() throws {
        let rsa = try SSHPublicKey(line: keys.key(.rsa3072).publicKeyLine)
        var reader = SSHWireReader(rsa.blob)
        _ = try reader.string("type")
        let e = try reader.string("e")
        let n = try reader.string("n")
        var padded = SSHWireWriter()
        padded.string("ssh-rsa")
        padded.string([0] + e)
        padded.string(n)
        #expect(throws: SSHKeyError("malformed SSH public key: RSA exponent has a superfluous leading zero")) {
            try SSHPublicKey(blob: padded.bytes)
        }
        var negative = SSHWireWriter()
        negative.string("ssh-rsa")
        negative.string(e)
        negative.string(Array(n.dropFirst()))  // drops the 00 that keeps the modulus positive
        #expect(throws: SSHKeyError("malformed SSH public key: RSA modulus is negative")) {
            try SSHPublicKey(blob: negative.bytes)
        }
    }

    @Test func base64IsStrict() {
        #expect(Base64.decode("AAAA") == [0, 0, 0])
        #expect(Base64.decode("AA==") == [0])
        #expect(Base64.decode("AB==") == nil)  // non-zero unused bits
        #expect(Base64.decode("A===") == nil)
        #expect(Base64.decode("AA=A") == nil)
        #expect(Base64.decode("AA==AAAA") == nil)
        #expect(Base64.decode("AA AA") == nil)
        #expect(Base64.decode("") == [])
        for count in 0..<10 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
    }
}
