import DehubTestSupport
import Testing

@testable import DehubCore

/// Seeded random mutations of valid payload messages and configs: the decoders never crash, never hang, and only
/// throw their typed errors (the signatures say so: `throws(PayloadError)`, `throws(ConfigError)`); whatever they
/// accept survives another render → parse unchanged.
@Suite struct FuzzTests {
    static let metacharacters: [[UInt8]] = [
        "-", ":", ": ", "- ", "#", "&a ", "*a", "!", "!!str ", "|", ">", "'", "\"", "{", "}", "[", "]", ",", "?", "? ", "%",
        "@", "`", "\n", "\r\n", "\t", " ", "---\n", "...\n", "\u{FEFF}", "\\", "<<: ", "~", "0x", "é", "\u{0}",
        "\n- type: pgp_signature\n", "\ntype: comment\n", "\ncredentials:\n", "&x [*x, *x]", "%YAML 1.1\n---\n",
    ].map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var b = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0...6, using: &rng) {
            case 0 where !b.isEmpty:  // flip a bit
                let i = Int.random(in: 0..<b.count, using: &rng)
                b[i] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
            case 1 where !b.isEmpty:  // random byte
                b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 2:  // truncate
                b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng)))
            case 3:  // insert a metacharacter
                b.insert(contentsOf: metacharacters.randomElement(using: &rng)!, at: Int.random(in: 0...b.count, using: &rng))
            case 4 where b.count > 1:  // delete a range
                let i = Int.random(in: 0..<b.count, using: &rng)
                b.removeSubrange(i..<min(b.count, i + Int.random(in: 1...12, using: &rng)))
            case 5 where !b.isEmpty:  // duplicate a line
                let lines = b.split(separator: 10, omittingEmptySubsequences: false)
                let k = Int.random(in: 0..<lines.count, using: &rng)
                var out = [[UInt8]](lines.map(Array.init))
                out.insert(out[k], at: k)
                b = Array(out.joined(separator: [10]))
            default:  // swap two bytes
                guard b.count > 1 else { continue }
                b.swapAt(Int.random(in: 0..<b.count, using: &rng), Int.random(in: 0..<b.count, using: &rng))
            }
        }
        return b
    }

    @Test(arguments: [UInt64(11), 12, 13, 14])
    func mutatedPayloadMessages(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var accepted = 0, refused = 0
        for i in 0..<2_500 {
            let payload = RandomPayloads.payload(&rng)
            let valid = Array(TestPayloadWriter.render(head: "head", payload: payload).utf8)
            let text = String(decoding: Self.mutate(valid, &rng), as: UTF8.self)
            do {
                let parsed = try CommitMessage.parse(text)
                accepted += 1
                let again = try CommitMessage.parse(TestPayloadWriter.render(head: parsed.head, payload: parsed.payload))
                #expect(again.payload == parsed.payload, "seed \(seed) iteration \(i): \(text.debugDescription)")
            } catch {
                refused += 1
                #expect(!error.message.isEmpty)
            }
        }
        #expect(refused > 100)
        #expect(accepted + refused == 2_500)
    }

    @Test(arguments: [UInt64(21), 22, 23, 24])
    func mutatedConfigs(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let valid = Array(ConfigDecoderTests.example.utf8)
        let harness = Array(VerifierHarness.config.utf8)
        var accepted = 0, refused = 0
        for _ in 0..<2_500 {
            let bytes = Self.mutate(Bool.random(using: &rng) ? valid : harness, &rng)
            do {
                let config = try ConfigDecoder.decode(bytes)
                accepted += 1
                // whatever decodes can be evaluated
                let facts = CommitFacts(
                    payloadType: PayloadType.allCases.randomElement(using: &rng)!,
                    branch: ["main", "t", "release/1"].randomElement(using: &rng)!,
                    changedPaths: [".dehub/config.yml", "src/a.swift"].shuffled(using: &rng),
                    nonFastForward: Bool.random(using: &rng),
                    verifiedAccounts: Set(config.accountIDs.filter { _ in Bool.random(using: &rng) }))
                _ = AccessControlEvaluator.evaluate(facts, config: config)
            } catch {
                refused += 1
                #expect(error.message.hasPrefix(".dehub/config.yml"))
            }
        }
        #expect(refused > 100)
        #expect(accepted > 10)
    }

    /// The parser reads what another writer (double quotes, \\U escapes) writes.
    @Test func parserReadsTheTestWriter() throws {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<2_000 {
            let payload = RandomPayloads.payload(&rng)
            #expect(try CommitMessage.parse(TestPayloadWriter.render(head: "h", payload: payload)).payload == payload)
        }
    }

    /// Random bytes and random YAML-ish token soup straight into both decoders.
    @Test func randomInput() {
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...30, using: &rng) {
                if Bool.random(using: &rng) {
                    bytes += Self.metacharacters.randomElement(using: &rng)!
                } else {
                    bytes += Array(
                        [
                            "type", "change", "fingerprint", Fixtures.fingerprintText, "accounts", "id", "alice",
                            "access_controls", "filters", "count", "  ",
                        ].randomElement(using: &rng)!.utf8)
                }
            }
            _ = try? ConfigDecoder.decode(bytes)
            _ = try? CommitMessage.parse("h\n" + String(decoding: bytes, as: UTF8.self))
            _ = try? StrictYAMLReader.read(bytes, limits: YAMLLimits(maxBytes: 1 << 16))
            _ = try? Glob(String(decoding: bytes.prefix(20), as: UTF8.self)).matches(bytes)
            _ = Base64.decode(String(decoding: bytes, as: UTF8.self))
            _ = PlainScalarResolution.kind(of: String(decoding: bytes.prefix(12), as: UTF8.self))
        }
    }
}
