import DehubCore
import DehubSignatures
import DehubTestSupport
import Testing

/// Property: no mutation or truncation of a real key or signature makes the parsers or the verifier crash;
/// they only throw. A changed message never verifies. Seeds are fixed, so any failure replays.
@Suite struct OpenPGPFuzzTests {
    struct Corpus {
        var keys: [UInt8]
        var armoredKeys: String
        var signatures: [[UInt8]]
        var message: [UInt8]
    }

    static func corpus() throws -> Corpus {
        let home = try GPGHome()
        defer { home.close() }
        let alice = try home.generateKey("Alice <a@x>")
        try home.addSubkey(to: alice)
        try home.addSubkey(to: alice, algorithm: "cv25519", usage: "encr")
        let bob = try home.generateKey("Bob <b@x>", algorithm: "rsa3072")
        let message = Array("fuzz me".utf8)
        return Corpus(
            keys: try home.gpg(["--export", alice, bob]).stdout,
            armoredKeys: try home.gpg(["--armor", "--export", alice]).stdoutText,
            signatures: [
                try home.detachSign(message, key: alice), try home.detachSign(message, key: bob),
                try home.detachSign(message, key: alice + "!"),
            ],
            message: message
        )
    }

    @Test func mutatedKeysAndSignaturesOnlyThrow() throws {
        let corpus = try Self.corpus()
        let keys = try OpenPGPPublicKey.parseAll(binary: corpus.keys)
        #expect(keys.count == 2)
        let verifier = OpenPGPVerifier()
        for signature in corpus.signatures {
            #expect(throws: Never.self) { try verifier.verify(signature: signature, over: corpus.message, keys: keys) }
        }
        var random = OpenPGPFuzzRandom(seed: 0x5EED_0001)
        for _ in 0..<1500 {
            let signature = corpus.signatures[Int(random.next() % UInt64(corpus.signatures.count))]
            let mutated = random.mutate(signature)
            _ = try? OpenPGPSignature.parse(binary: mutated)
            _ = try? verifier.verify(signature: mutated, over: corpus.message, keys: keys)
        }
        for _ in 0..<300 {
            let mutated = random.mutate(corpus.keys)
            if let mutatedKeys = try? OpenPGPPublicKey.parseAll(binary: mutated) {
                _ = try? verifier.verify(signature: corpus.signatures[0], over: corpus.message, keys: mutatedKeys)
            }
        }
        for _ in 0..<300 {
            var text = Array(corpus.armoredKeys.utf8)
            for _ in 0..<(1 + random.next() % 3) {
                let index = Int(random.next() % UInt64(text.count))
                text[index] = UInt8(truncatingIfNeeded: random.next() % 128)
            }
            _ = try? OpenPGPPublicKey.parseAll(armored: String(decoding: text, as: UTF8.self))
        }
    }

    @Test func everyTruncationOnlyThrows() throws {
        let corpus = try Self.corpus()
        let keys = try OpenPGPPublicKey.parseAll(binary: corpus.keys)
        for signature in corpus.signatures {
            for length in 0..<signature.count {
                #expect(throws: SignatureFailure.self) {
                    try OpenPGPVerifier().verify(signature: Array(signature.prefix(length)), over: corpus.message, keys: keys)
                }
            }
        }
        for length in stride(from: 0, to: corpus.keys.count, by: 3) {
            _ = try? OpenPGPPublicKey.parseAll(binary: Array(corpus.keys.prefix(length)))
        }
    }

    @Test func changedMessageNeverVerifies() throws {
        let corpus = try Self.corpus()
        let keys = try OpenPGPPublicKey.parseAll(binary: corpus.keys)
        var random = OpenPGPFuzzRandom(seed: 0x5EED_0002)
        for _ in 0..<200 {
            let message = random.mutate(corpus.message)
            guard message != corpus.message else { continue }
            for signature in corpus.signatures {
                #expect(throws: SignatureFailure.self) {
                    try OpenPGPVerifier().verify(signature: signature, over: message, keys: keys)
                }
            }
        }
    }
}

/// A small deterministic generator (OpenPGPFuzzRandom) and byte mutations.
struct OpenPGPFuzzRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }

    /// One to three random edits: bit flips, interesting byte values, truncation, deletion, insertion, duplication.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        let interesting: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xBF, 0xC0, 0xDF, 0xE0, 0xFE, 0xFF]
        for _ in 0..<(1 + below(3)) {
            guard !bytes.isEmpty else { break }
            let index = below(bytes.count)
            switch below(6) {
            case 0: bytes[index] ^= UInt8(1 << below(8))
            case 1: bytes[index] = interesting[below(interesting.count)]
            case 2: bytes = Array(bytes.prefix(index))
            case 3: bytes.removeSubrange(index..<min(bytes.count, index + 1 + below(16)))
            case 4: bytes.insert(contentsOf: (0..<(1 + below(8))).map { _ in UInt8(truncatingIfNeeded: next()) }, at: index)
            default: bytes.insert(contentsOf: bytes[index..<min(bytes.count, index + 1 + below(32))], at: below(bytes.count))
            }
        }
        return bytes
    }
}
