import Crypto
import DehubCore
import DehubTestSupport
import Testing

@testable import DehubSignatures

private let sampleMessage = SSHSharedKeys.sampleMessage

/// Blobs an attacker could craft: each field of SSHSIG bent one way, with the error the verifier must give.
/// The signature values are real (made in-process), so only the bent field can be the reason for rejection.
@Suite("SSH signature: crafted blobs")
struct SSHSignatureCraftedTests {
    let signer = Ed25519SSHSigner()
    let verifier = SSHSignatureVerifier()

    /// A correctly signed blob whose fields are then changed by `edit`, re-signed over what it claims when `resign`.
    func crafted(hash: String = "sha512", namespace: String = "dehub", reserved: [UInt8] = [],
                 _ edit: (inout SSHSignatureBlob) -> Void = { _ in }) throws -> [UInt8] {
        var writer = SSHWireWriter()
        writer.raw(SSHSignatureBlob.magic)
        writer.string(namespace)
        writer.string(reserved)
        writer.string(hash)
        writer.string(hash == "sha256" ? SSHSignatureHash.sha256.digest(sampleMessage) : SSHSignatureHash.sha512.digest(sampleMessage))
        let value = try signer.privateKey.signature(for: writer.bytes)
        var blob = SSHSignatureBlob(publicKey: signer.publicKey.blob, namespace: namespace, reserved: reserved,
                                    hashAlgorithm: hash, signatureType: "ssh-ed25519", signature: Array(value))
        edit(&blob)
        return blob.encoded
    }

    func failure(_ blob: [UInt8]) -> SignatureFailure? {
        do {
            try verifier.verify(signature: blob, over: sampleMessage, publicKey: signer.publicKey)
            return nil
        } catch {
            return error as? SignatureFailure ?? SignatureFailure("unexpected \(error)")
        }
    }

    @Test func baselineVerifies() throws {
        #expect(failure(try crafted()) == nil)
        #expect(failure(try crafted(hash: "sha256")) == nil)
    }

    @Test func badMagicAndVersion() throws {
        var blob = try crafted()
        blob[0] = UInt8(ascii: "X")
        #expect(failure(blob) == SignatureFailure("malformed SSH signature: not an SSH signature (no SSHSIG magic)"))
        blob = try crafted()
        blob[9] = 2
        #expect(failure(blob) == SignatureFailure("malformed SSH signature: unsupported SSH signature version 2"))
        #expect(failure([]) == SignatureFailure("malformed SSH signature: truncated SSHSIG magic: needs 6 bytes, 0 left"))
    }

    @Test func unsupportedHashAlgorithms() throws {
        #expect(failure(try crafted(hash: "sha1"))
            == SignatureFailure("SSH signature uses hash algorithm 'sha1'; only sha256 and sha512 are allowed"))
        #expect(failure(try crafted(hash: "SHA512"))
            == SignatureFailure("SSH signature uses hash algorithm 'SHA512'; only sha256 and sha512 are allowed"))
    }

    /// Attack: claim sha256 in the blob while the value was made over a sha512 preamble (or vice versa).
    @Test func hashAlgorithmIsBoundIntoTheSignature() throws {
        #expect(failure(try crafted { $0.hashAlgorithm = "sha256" }) == SignatureFailure("bad SSH signature"))
    }

    /// ssh-keygen ignores the reserved field's content; we refuse anything but empty (fail closed).
    @Test func nonEmptyReservedField() throws {
        #expect(failure(try crafted(reserved: [1]))
            == SignatureFailure("malformed SSH signature: reserved field is not empty"))
    }

    @Test func signatureTypeMustMatchKeyType() throws {
        #expect(failure(try crafted { $0.signatureType = "ecdsa-sha2-nistp256" })
            == SignatureFailure("SSH signature type 'ecdsa-sha2-nistp256' does not match key type 'ssh-ed25519'"))
        #expect(failure(try crafted { $0.signature.removeLast() })
            == SignatureFailure("malformed SSH signature: Ed25519 signature must be 64 bytes"))
    }

    /// Attack: splice another namespace into a valid signature; the namespace is part of what is signed.
    @Test func namespaceIsBoundIntoTheSignature() throws {
        let blob = try crafted(namespace: "git") { $0.namespace = "dehub" }
        #expect(failure(blob) == SignatureFailure("bad SSH signature"))
    }

    /// Attack: take Alice's valid signature and swap in Mallory's key, hoping the key in the blob is trusted alone.
    @Test func swappedSignerKey() throws {
        let mallory = Ed25519SSHSigner()
        let blob = try crafted { $0.publicKey = mallory.publicKey.blob }
        do {
            try verifier.verify(signature: blob, over: sampleMessage, publicKey: mallory.publicKey)
            Issue.record("a signature with a swapped-in key verified")
        } catch {
            #expect(error as? SignatureFailure == SignatureFailure("bad SSH signature"))
        }
        #expect(failure(blob) == SignatureFailure(
            "SSH signature was made by key \(mallory.publicKey.fingerprint) not \(signer.publicKey.fingerprint)"))
    }

    @Test func namespaceMustBePrintable() throws {
        #expect(failure(try crafted { $0.namespace = "de\u{1b}[31mhub" })
            == SignatureFailure("malformed SSH signature: namespace is not printable ASCII"))
    }

    @Test func trailingBytesInsideTheSignatureField() throws {
        var blob = SSHSignatureBlob(publicKey: [], namespace: "", hashAlgorithm: "", signatureType: "", signature: [])
        var inner = SSHWireWriter()
        inner.string("ssh-ed25519")
        inner.string([UInt8](repeating: 0, count: 64))
        inner.raw([0])
        var writer = SSHWireWriter()
        writer.raw(SSHSignatureBlob.magic)
        writer.uint32(1)
        writer.string(signer.publicKey.blob)
        writer.string("dehub")
        writer.string([UInt8]())
        writer.string("sha512")
        writer.string(inner.bytes)
        #expect(failure(writer.bytes) == SignatureFailure("malformed SSH signature: 1 trailing bytes after the signature value"))
        blob = try SSHSignatureBlob(parsing: try crafted())
        #expect(blob.signatureType == "ssh-ed25519")
    }

    @Test func oversizedBlob() {
        #expect(failure([UInt8](repeating: 0, count: SSHSignatureBlob.maximumSize + 1))
            == SignatureFailure("malformed SSH signature: SSH signature is 65537 bytes, more than 65536"))
    }

    @Test func hugeLengthPrefixDoesNotAllocate() throws {
        var writer = SSHWireWriter()
        writer.raw(SSHSignatureBlob.magic)
        writer.uint32(1)
        writer.uint32(0xffff_ffff)
        #expect(failure(writer.bytes)
            == SignatureFailure("malformed SSH signature: truncated signer public key: length 4294967295 exceeds the 0 bytes left"))
    }
}

/// ECDSA and RSA specific bends, on signatures made by ssh-keygen.
@Suite("SSH signature: crafted ECDSA and RSA values")
struct SSHSignatureCraftedKeyTests {
    let keys = SSHSharedKeys.shared
    let verifier = SSHSignatureVerifier()

    func signed(_ type: SSHTestKeyType) throws -> (SSHSignatureBlob, SSHPublicKey) {
        let made = keys.key(type)
        let armored = try keys.workspace.keygenSign(sampleMessage, keyFile: made.privateKeyPath)
        return (try SSHSignatureBlob(parsing: SSHSignatureArmor.dearmor(armored)), try SSHPublicKey(line: made.publicKeyLine))
    }

    func failure(_ blob: SSHSignatureBlob, _ key: SSHPublicKey) -> SignatureFailure? {
        do {
            try verifier.verify(signature: blob.encoded, over: sampleMessage, publicKey: key)
            return nil
        } catch {
            return error as? SignatureFailure ?? SignatureFailure("unexpected \(error)")
        }
    }

    @Test func rsaUsesSHA512AndRefusesSHA1() throws {
        var (blob, key) = try signed(.rsa3072)
        #expect(blob.signatureType == "rsa-sha2-512")
        blob.signatureType = "ssh-rsa"
        #expect(failure(blob, key)
            == SignatureFailure("SSH signature uses SHA-1 (ssh-rsa); only rsa-sha2-256 and rsa-sha2-512 are allowed"))
        blob.signatureType = "rsa-sha2-256"
        #expect(failure(blob, key) == SignatureFailure("bad SSH signature"))
        blob.signatureType = "ssh-ed25519"
        #expect(failure(blob, key) == SignatureFailure("SSH signature type 'ssh-ed25519' does not match key type 'ssh-rsa'"))
    }

    @Test func rsaSignatureLength() throws {
        var (blob, key) = try signed(.rsa3072)
        blob.signature = [0] + blob.signature
        #expect(failure(blob, key) == SignatureFailure("malformed SSH signature: RSA signature length does not match the key"))
        blob.signature = []
        #expect(failure(blob, key) == SignatureFailure("malformed SSH signature: RSA signature length does not match the key"))
    }

    @Test func ecdsaTypeMustMatchCurve() throws {
        var (blob, key) = try signed(.ecdsa256)
        blob.signatureType = "ecdsa-sha2-nistp384"
        #expect(failure(blob, key)
            == SignatureFailure("SSH signature type 'ecdsa-sha2-nistp384' does not match key type 'ecdsa-sha2-nistp256'"))
    }

    @Test func ecdsaIntegersAreStrict() throws {
        let (blob, key) = try signed(.ecdsa384)
        var reader = SSHWireReader(blob.signature)
        let r = try reader.positiveMPInt("r"), s = try reader.positiveMPInt("s")
        func with(_ build: (inout SSHWireWriter) -> Void) -> SSHSignatureBlob {
            var writer = SSHWireWriter()
            build(&writer)
            var copy = blob
            copy.signature = writer.bytes
            return copy
        }
        #expect(failure(with { $0.positiveMPInt(r); $0.positiveMPInt(s) }, key) == nil)
        #expect(failure(with { $0.positiveMPInt(r); $0.positiveMPInt(s); $0.raw([0]) }, key)
            == SignatureFailure("malformed SSH signature: 1 trailing bytes after the ECDSA signature"))
        #expect(failure(with { $0.string([0, 0] + r); $0.positiveMPInt(s) }, key)
            == SignatureFailure("malformed SSH signature: ECDSA r has a superfluous leading zero"))
        #expect(failure(with { $0.positiveMPInt(r); $0.positiveMPInt([1] + [UInt8](repeating: 0, count: 48)) }, key)
            == SignatureFailure("malformed SSH signature: ECDSA r or s out of range"))
        #expect(failure(with { $0.positiveMPInt(r); $0.positiveMPInt([]) }, key)
            == SignatureFailure("malformed SSH signature: ECDSA r or s out of range"))
        #expect(failure(with { $0.positiveMPInt(s); $0.positiveMPInt(r) }, key) == SignatureFailure("bad SSH signature"))
    }
}
