import Synchronization
import Testing

@testable import DehubCore

/// One push checks a credential once, however many commits carry it (issue 9: a credential copied onto 2,000
/// commits cost 2,000 checks), and never confuses two different questions.
@Suite struct MemoizingSignatureVerifierTests {
    /// The test verifier, counting the checks that reach it.
    final class Counting: SignatureVerifying {
        let calls = Mutex(0)
        func verifyOpenPGP(signature: [UInt8], over message: [UInt8], armoredKeys: [String]) throws -> OpenPGPSigner {
            calls.withLock { $0 += 1 }
            return try FakeSignatures().verifyOpenPGP(signature: signature, over: message, armoredKeys: armoredKeys)
        }
        func verifySSH(signature: [UInt8], over message: [UInt8], publicKey: String) throws {
            calls.withLock { $0 += 1 }
            try FakeSignatures().verifySSH(signature: signature, over: message, publicKey: publicKey)
        }
        func openPGPKeyIDs(armoredKey: String) throws -> [String] { try FakeSignatures().openPGPKeyIDs(armoredKey: armoredKey) }
    }

    let message: [UInt8] = Array("fingerprint bytes".utf8)

    @Test func aRepeatedSSHCheckReachesTheVerifierOnce() throws {
        let base = Counting()
        let memo = MemoizingSignatureVerifier(wrapping: base)
        let good = FakeSignatures.sshSignature(blob: "AAAA", over: message)
        for _ in 0..<100 { try memo.verifySSH(signature: good, over: message, publicKey: "ssh-ed25519 AAAA alice") }
        #expect(base.calls.withLock { $0 } == 1)
        #expect(memo.statistics == (checked: 1, remembered: 99))
    }

    @Test func failuresAreRememberedWithTheirMessage() {
        let base = Counting()
        let memo = MemoizingSignatureVerifier(wrapping: base)
        let other = FakeSignatures.sshSignature(blob: "AAAA", over: Array("another fingerprint".utf8))
        for _ in 0..<3 {
            #expect(throws: SignatureFailure("SSHSIG does not verify")) {
                try memo.verifySSH(signature: other, over: message, publicKey: "ssh-ed25519 AAAA alice")
            }
        }
        #expect(base.calls.withLock { $0 } == 1)
    }

    @Test func anyDifferenceIsAnotherQuestion() throws {
        let base = Counting()
        let memo = MemoizingSignatureVerifier(wrapping: base)
        let good = FakeSignatures.sshSignature(blob: "AAAA", over: message)
        try memo.verifySSH(signature: good, over: message, publicKey: "ssh-ed25519 AAAA alice")
        // Another key, another message, another signature: each is checked, and the wrong ones fail.
        #expect(throws: SignatureFailure.self) {
            try memo.verifySSH(signature: good, over: message, publicKey: "ssh-ed25519 BBBB bob")
        }
        #expect(throws: SignatureFailure.self) {
            try memo.verifySSH(signature: good, over: Array("x".utf8), publicKey: "ssh-ed25519 AAAA alice")
        }
        #expect(throws: SignatureFailure.self) {
            try memo.verifySSH(signature: good + [0], over: message, publicKey: "ssh-ed25519 AAAA alice")
        }
        #expect(base.calls.withLock { $0 } == 4)
    }

    @Test func openPGPVerdictsKeepTheSignerAndDependOnEveryKey() throws {
        let base = Counting()
        let memo = MemoizingSignatureVerifier(wrapping: base)
        let signature = FakeSignatures.pgpSignature(keyID: "B1", over: message)
        let signer = try memo.verifyOpenPGP(signature: signature, over: message, armoredKeys: ["pgp:A1:B1"])
        #expect(try memo.verifyOpenPGP(signature: signature, over: message, armoredKeys: ["pgp:A1:B1"]) == signer)
        #expect(signer == OpenPGPSigner(signingKeyID: "B1", primaryKeyID: "A1"))
        #expect(throws: SignatureFailure.self) {
            try memo.verifyOpenPGP(signature: signature, over: message, armoredKeys: ["pgp:C1"])
        }
        #expect(base.calls.withLock { $0 } == 2)
    }
}
