import DehubCore
import DehubTestSupport
import DehubVerification
import Testing

@testable import DehubCLI

/// The hook's own decoders of untrusted text, fuzzed the way `DehubCoreTests/FuzzTests` fuzzes payloads: the
/// operator limits read from git config (`HookLimits.parse`), the pusher's role (`DEHUB_PUSHER_ROLE`) and
/// pre-receive input lines. They never crash, and they accept only what they should.
@Suite("hook input decoders, fuzzed")
struct HookInputFuzzTests {
    /// SplitMix64, seeded: a failure names the seed and the input.
    static let alphabet: [Character] = Array("0123456789kKmMgG-+. xe_\u{0}\n\u{FF10}é")

    static func text(_ rng: inout SeededGenerator, maxLength: Int = 24) -> String {
        String((0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static let limitTable: [(String, Int?)] = [
        ("1", 1), ("1000", 1000), ("4k", 4096), ("2M", 2 << 20), ("1g", 1 << 30), ("0", nil), ("-5", nil), ("", nil),
        ("k", nil), ("1.5", nil), (" 1", nil), ("1 ", nil), ("+1", 1), ("1kk", nil), ("9223372036854775807k", nil),
        ("0x10", nil), ("１", nil),
    ]

    @Test(arguments: limitTable)
    func limitValues(_ text: String, _ expected: Int?) {
        let parsed = try? HookLimits.parse(text, key: "dehub.maxCommits", maximum: Int.max)
        #expect(parsed == expected, "'\(text)'")
    }

    /// Strangers get the lower of each pair, and messages name the setting that applied.
    @Test func strangerLimitsAreTheLowerOfEachPair() {
        var limits = HookLimits()
        #expect(limits.forStrangers.maxCommits == 1_000 && limits.forStrangers.maxCommitsKey == "dehub.strangerMaxCommits")
        #expect(limits.forStrangers.timeoutSeconds == 30 && limits.forStrangers.timeoutKey == "dehub.strangerTimeoutSeconds")
        limits.maxCommits = 500
        limits.timeoutSeconds = 10
        #expect(limits.forStrangers.maxCommits == 500 && limits.forStrangers.maxCommitsKey == "dehub.maxCommits")
        #expect(limits.forStrangers.timeoutSeconds == 10 && limits.forStrangers.timeoutKey == "dehub.timeoutSeconds")
        #expect(limits.maxCommitObjectBytes == limits.maxMessageBytes + 64 * 1024)
    }

    @Test(arguments: [UInt64(31), 32, 33])
    func limitValuesFuzzed(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<5_000 {
            let text = Self.text(&rng)
            let maximum = Int.random(in: 1...10_000_000, using: &rng)
            do {
                let value = try HookLimits.parse(text, key: "dehub.maxCommits", maximum: maximum)
                #expect(value > 0 && value <= maximum, "seed \(seed): '\(text.debugDescription)' gave \(value)")
            } catch {
                #expect(error.message.hasPrefix("git config dehub.maxCommits is '"), "seed \(seed): \(error.message)")
                #expect(!error.message.contains("\n") && !error.message.contains("\u{0}"), "control characters are escaped")
            }
        }
    }

    @Test(arguments: [UInt64(41), 42])
    func rolesFuzzed(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        #expect(PusherRolePolicy.from(environmentValue: nil) == .anyone)
        #expect(!PusherRolePolicy.from(environmentValue: "admin").isStranger)
        #expect(!PusherRolePolicy.from(environmentValue: "member").isStranger)
        for _ in 0..<5_000 {
            let role = Self.text(&rng, maxLength: 8) + ["", "admin", "member", "other"].randomElement(using: &rng)!
            let policy = PusherRolePolicy.from(environmentValue: role)
            // Only the exact words admin and member are trusted; everything else is a stranger (fail closed).
            #expect(policy.isStranger == !(role == "admin" || role == "member"), "'\(role.debugDescription)'")
            #expect((policy.refusalCreatingMain(ref: "refs/heads/main") == nil) == (role == "admin"))
            #expect((policy.refusal(rewinding: "t", ref: "refs/heads/t") == nil) == !policy.isStranger)
        }
    }

    @Test(arguments: [UInt64(51), 52])
    func preReceiveLinesFuzzed(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let id = String(repeating: "a", count: 40)
        let valid = "\(id) \(id) refs/heads/main\n"
        for _ in 0..<5_000 {
            var bytes = Array(valid.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0...2, using: &rng) {
                case 0: bytes[i] = UInt8.random(in: 0...127, using: &rng)
                case 1: bytes.remove(at: i)
                default: bytes.insert(UInt8.random(in: 0...127, using: &rng), at: i)
                }
                if bytes.isEmpty { bytes = [10] }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if let updates = try? RefUpdateParser.preReceive(text, maxLines: 4) {
                for update in updates {
                    #expect(update.ref.hasPrefix("refs/") && !update.ref.contains(" "), "seed \(seed): \(text.debugDescription)")
                }
            }
        }
    }
}
