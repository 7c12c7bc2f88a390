import DehubCore
import DehubTestSupport
import Testing

@testable import DehubSignatures

private let sampleMessage = SSHSharedKeys.sampleMessage

/// Property: random mutations and truncations of valid blobs and key lines never crash and never verify;
/// they only throw the documented error types.
@Suite("SSH decoders under random mutation")
struct SSHFuzzTests {
    static func mutate(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var out = bytes
        switch rng.next() % 6 {
        case 0 where !out.isEmpty:
            out[Int(rng.next() % UInt64(out.count))] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
        case 1:
            out = Array(out.prefix(Int(rng.next() % UInt64(out.count + 1))))
        case 2:
            out.insert(UInt8(truncatingIfNeeded: rng.next()), at: Int(rng.next() % UInt64(out.count + 1)))
        case 3 where out.count > 4:
            // Overwrite a 32-bit big-endian word (usually a length prefix) with something large or small.
            let at = Int(rng.next() % UInt64(out.count - 3))
            let value = [0, 1, 0x7fff_ffff, 0xffff_ffff, UInt64(out.count)][Int(rng.next() % 5)]
            for i in 0..<4 { out[at + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt64(i))) }
        case 4 where !out.isEmpty:
            out.remove(at: Int(rng.next() % UInt64(out.count)))
        default:
            out += (0..<Int(rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        }
        return out
    }

    @Test("mutated signature blobs only throw", arguments: [SSHTestKeyType.ed25519, .ecdsa256, .ecdsa521, .rsa3072])
    func mutatedSignatures(keyType: SSHTestKeyType) throws {
        let keys = SSHSharedKeys.shared
        let made = keys.key(keyType)
        let key = try SSHPublicKey(line: made.publicKeyLine)
        let blob = try SSHSignatureArmor.dearmor(
            try keys.workspace.keygenSign(sampleMessage, keyFile: made.privateKeyPath))
        var rng = SeededGenerator(seed: 0xDE4B_0000 + UInt64(keyType.rawValue.count))
        let iterations = keyType == .rsa3072 ? 1500 : 4000
        var verified = 0
        for _ in 0..<iterations {
            var candidate = blob
            for _ in 0...(rng.next() % 3) { candidate = Self.mutate(candidate, &rng) }
            do {
                try SSHSignatureVerifier().verify(signature: candidate, over: sampleMessage, publicKey: key)
                if candidate != blob { verified += 1 }
            } catch is SignatureFailure {
            } catch {
                Issue.record("unexpected error type \(type(of: error)): \(error)")
            }
        }
        // Only a mutation that re-creates an equivalent encoding could verify; there are none in SSHSIG's strict form.
        #expect(verified == 0)
    }

    @Test("mutated key blobs and lines only throw", arguments: SSHTestKeyType.allCases)
    func mutatedKeys(keyType: SSHTestKeyType) throws {
        let line = SSHSharedKeys.shared.key(keyType).publicKeyLine
        let key = try SSHPublicKey(line: line)
        var rng = SeededGenerator(seed: 0x5EED + UInt64(keyType.rawValue.count))
        for _ in 0..<3000 {
            let blob = Self.mutate(key.blob, &rng)
            if let parsed = try? SSHPublicKey(blob: blob) { #expect(parsed.blob == blob) }
            let text = String(decoding: Self.mutate(Array(line.utf8), &rng), as: UTF8.self)
            do {
                _ = try SSHPublicKey(line: text)
            } catch is SSHKeyError {
            } catch {
                Issue.record("unexpected error type \(type(of: error)): \(error)")
            }
        }
    }

    @Test func mutatedArmourOnlyThrows() throws {
        let armored = SSHSignatureArmor.armor(try Ed25519SSHSigner().sign(sampleMessage))
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<3000 {
            let text = String(decoding: Self.mutate(Array(armored.utf8), &rng), as: UTF8.self)
            do { _ = try SSHSignatureArmor.dearmor(text) } catch is SignatureFailure {} catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
    }

    @Test func randomBytesOnlyThrow() {
        var rng = SeededGenerator(seed: 7)
        let key = Ed25519SSHSigner().publicKey
        for _ in 0..<3000 {
            let bytes =
                Array(SSHSignatureBlob.magic + [0, 0, 0, 1]).prefix(Int(rng.next() % 11))
                + (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(throws: SignatureFailure.self) {
                try SSHSignatureVerifier().verify(signature: Array(bytes), over: [], publicKey: key)
            }
            _ = try? SSHPublicKey(blob: Array(bytes))
        }
    }
}
