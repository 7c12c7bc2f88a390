import DehubCore
import DehubTestSupport
import Testing

@testable import DehubSignatures

private let sampleMessage = SSHSharedKeys.sampleMessage

/// The in-process verifier must agree with `ssh-keygen -Y verify` on real signatures, good and bad.
@Suite("SSH signature verifier against ssh-keygen")
struct SSHSignatureVerifierTests {
    let keys = SSHSharedKeys.shared
    var workspace: SSHTestWorkspace { keys.workspace }
    let verifier = SSHSignatureVerifier()

    /// Signs `message` with ssh-keygen; returns the armour, the binary blob and the signer's key.
    func signed(_ type: SSHTestKeyType, namespace: String = "dehub", message: [UInt8] = sampleMessage) throws
        -> (armored: String, blob: [UInt8], key: SSHPublicKey)
    {
        let made = keys.key(type)
        let armored = try workspace.keygenSign(message, keyFile: made.privateKeyPath, namespace: namespace)
        return (armored, try SSHSignatureArmor.dearmor(armored), try SSHPublicKey(line: made.publicKeyLine))
    }

    func ours(_ blob: [UInt8], _ message: [UInt8], _ key: SSHPublicKey, namespace: String = "dehub") -> SignatureFailure? {
        do {
            try verifier.verify(signature: blob, over: message, publicKey: key, namespace: namespace)
            return nil
        } catch let failure as SignatureFailure {
            return failure
        } catch {
            return SignatureFailure("unexpected error type: \(error)")
        }
    }

    func theirs(_ blob: [UInt8], _ message: [UInt8], _ key: SSHPublicKey) throws -> Bool {
        try workspace.keygenVerifies(message, armoredSignature: SSHSignatureArmor.armor(blob), publicKeyLine: key.line)
    }

    @Test("valid signatures verify", arguments: SSHTestKeyType.allCases)
    func valid(type: SSHTestKeyType) throws {
        let (_, blob, key) = try signed(type)
        #expect(ours(blob, sampleMessage, key) == nil)
        #expect(try theirs(blob, sampleMessage, key))
        let empty = try signed(type, message: [])
        #expect(ours(empty.blob, [], key) == nil)
    }

    @Test("sha256 message hashes (ssh-keygen -O hashalg=sha256) verify", arguments: SSHTestKeyType.allCases)
    func sha256(type: SSHTestKeyType) throws {
        let made = keys.key(type)
        let armored = try workspace.keygenSign(sampleMessage, keyFile: made.privateKeyPath, options: ["hashalg=sha256"])
        let blob = try SSHSignatureArmor.dearmor(armored)
        #expect(try SSHSignatureBlob(parsing: blob).hashAlgorithm == "sha256")
        #expect(ours(blob, sampleMessage, try SSHPublicKey(line: made.publicKeyLine)) == nil)
    }

    @Test("a tampered message fails", arguments: SSHTestKeyType.allCases)
    func tamperedMessage(type: SSHTestKeyType) throws {
        let (_, blob, key) = try signed(type)
        var message = sampleMessage
        message[message.count - 2] ^= 0x01
        #expect(ours(blob, message, key) == SignatureFailure("bad SSH signature"))
        #expect(try !theirs(blob, message, key))
        #expect(ours(blob, sampleMessage + [0x0a], key) == SignatureFailure("bad SSH signature"))
    }

    @Test("a tampered signature value fails", arguments: SSHTestKeyType.allCases)
    func tamperedSignature(type: SSHTestKeyType) throws {
        let (_, blob, key) = try signed(type)
        // The last bytes of the blob are the signature value (for ECDSA: the end of s).
        var bad = blob
        bad[bad.count - 1] ^= 0x01
        #expect(ours(bad, sampleMessage, key) == SignatureFailure("bad SSH signature"))
        #expect(try !theirs(bad, sampleMessage, key))
    }

    @Test("another key's signature fails", arguments: SSHTestKeyType.allCases)
    func wrongKey(type: SSHTestKeyType) throws {
        let (_, blob, _) = try signed(type)
        let signer = try SSHPublicKey(line: keys.key(type).publicKeyLine)
        let other = try SSHPublicKey(line: keys.otherKey.publicKeyLine)
        #expect(ours(blob, sampleMessage, other)
            == SignatureFailure("SSH signature was made by key \(signer.fingerprint) not \(other.fingerprint)"))
        #expect(try !theirs(blob, sampleMessage, other))
    }

    @Test("a signature for namespace git fails", arguments: SSHTestKeyType.allCases)
    func wrongNamespace(type: SSHTestKeyType) throws {
        let (_, blob, key) = try signed(type, namespace: "git")
        #expect(ours(blob, sampleMessage, key) == SignatureFailure("SSH signature is for namespace 'git', expected 'dehub'"))
        #expect(try !theirs(blob, sampleMessage, key))
        #expect(ours(blob, sampleMessage, key, namespace: "git") == nil)
    }

    @Test("every truncation fails", arguments: [SSHTestKeyType.ed25519, .ecdsa256, .rsa3072])
    func truncated(type: SSHTestKeyType) throws {
        let (_, blob, key) = try signed(type)
        for length in 0..<blob.count {
            let failure = ours(Array(blob.prefix(length)), sampleMessage, key)
            #expect(failure != nil, "prefix of \(length) bytes verified")
        }
        #expect(ours(Array(blob.prefix(10)), sampleMessage, key)
            == SignatureFailure("malformed SSH signature: truncated signer public key: needs 4 bytes, 0 left"))
        #expect(ours(blob + [0], sampleMessage, key)
            == SignatureFailure("malformed SSH signature: 1 trailing bytes after the SSH signature"))
        #expect(try !theirs(Array(blob.dropLast()), sampleMessage, key))
    }

    @Test func keyLineConvenience() throws {
        let (_, blob, key) = try signed(.ed25519)
        try verifier.verify(signature: blob, over: sampleMessage, publicKeyLine: keys.key(.ed25519).publicKeyLine)
        #expect(throws: SignatureFailure("unknown SSH key type 'ssh-dss' (supported: ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa)")) {
            try verifier.verify(signature: blob, over: sampleMessage, publicKeyLine: "ssh-dss AAAA")
        }
        _ = key
    }
}
