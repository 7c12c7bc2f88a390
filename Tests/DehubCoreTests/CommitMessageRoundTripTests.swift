import Testing
@testable import DehubCore

/// render → parse gives back the same payload, for strings chosen to trip YAML writers: words other YAML readers
/// type as null/boolean/number, indicators, quotes, leading and trailing spaces, line breaks, unicode, empty.
@Suite struct CommitMessageRoundTripTests {
    static let pieces: [String] = [
        "", " ", "  ", "\n", "\n\n", "\t", "a", "b", "alice", "no", "yes", "~", "null", "true", "123", "0x1F", "1.5",
        "1:30", ".inf", "- x", "-", ": y", ":", "? q", "#", " #c", "'", "\"", "''", "\\", "|", ">", "|-", "---", "...",
        "{", "}", "[", "]", ",", "&a", "*a", "!tag", "!!str", "%YAML", "@", "`", "=", "<<", "é", "日本語", "🙂", "Ω",
        "\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{A0}", "\u{FEFF}", "\u{FFFD}", "%", "key: value", "a\n b", "  indented\n",
    ]

    static func randomText(_ rng: inout SeededGenerator, maxPieces: Int = 8) -> String {
        let n = Int.random(in: 0...maxPieces, using: &rng)
        return (0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    static func randomCredential(_ rng: inout SeededGenerator) -> Credential {
        let accounts = ["alice", "no", "123", "yes", "a.b-c_d", "1e5", "null", "O"]
        let signature = (0..<Int.random(in: 1...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let keyID = String((0..<16).map { _ in "0123456789ABCDEF".randomElement(using: &rng)! })
        switch Int.random(in: 0...2, using: &rng) {
        case 0: return .pgp(PGPCredential(pubKeyID: keyID, signature: signature, account: accounts.randomElement(using: &rng)!))
        case 1: return .pgp(PGPCredential(pubKeyID: keyID, signature: signature, account: nil, pubKeyBody: randomText(&rng) + "K"))
        default:
            return .ssh(SSHCredential(pubKey: "ssh-ed25519 " + randomText(&rng), signature: signature,
                                      account: accounts.randomElement(using: &rng)!))
        }
    }

    static func randomPayload(_ rng: inout SeededGenerator) -> Payload {
        let body: Payload.Body
        switch Int.random(in: 0...2, using: &rng) {
        case 0: body = .change(description: randomText(&rng))
        case 1: body = .comment(randomText(&rng))
        default:
            let commits = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                String((0..<40).map { _ in "0123456789abcdef".randomElement(using: &rng)! })
            }
            body = .credential(commits: commits, changeDescription: Bool.random(using: &rng) ? randomText(&rng) : nil)
        }
        let fingerprint = Fingerprint.comment(randomText(&rng))
        let credentials = (0..<Int.random(in: 0...3, using: &rng)).map { _ in randomCredential(&rng) }
        return Payload(body: body, fingerprint: fingerprint, credentials: credentials)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomPayloadsRoundTrip(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for i in 0..<1_000 {
            let payload = Self.randomPayload(&rng)
            let head = Self.randomText(&rng).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let text = CommitMessage(head: head, payload: payload).render()
            do {
                let parsed = try CommitMessage.parse(text)
                #expect(parsed.payload == payload, "seed \(seed) iteration \(i):\n\(text)")
                #expect(parsed.head == head, "seed \(seed) iteration \(i)")
            } catch {
                Issue.record("seed \(seed) iteration \(i): \(error)\n\(text)")
            }
        }
    }

    @Test(arguments: CommitMessageRoundTripTests.pieces + [
        "no", "  leading", "trailing  ", "line\n", "line\n\n", "\nline", "\n\nline", " \n", "\n ", "a \nb", "a\n\n\nb",
        "- x\n- y", ": y", "# not a comment", "'single'", "\"double\"", "it's", "back\\slash", "tab\there", "\tlead",
        String(repeating: "long words ", count: 50), "123", "0777", "+1", "-.5e3", "12:30:45", "2001-12-14", "=",
    ])
    func singleStringsRoundTrip(_ text: String) throws {
        for body in [Payload.Body.change(description: text), .comment(text), .credential(commits: [], changeDescription: text)] {
            let payload = Payload(body: body, fingerprint: Fixtures.fingerprint, credentials: [
                .ssh(SSHCredential(pubKey: text + "k", signature: [1, 2, 3], account: "alice")),
            ])
            let rendered = CommitMessage(head: "h", payload: payload).render()
            #expect(try CommitMessage.parse(rendered).payload == payload, "\(rendered.debugDescription)")
        }
    }

    /// Line breaks other than LF: YAML readers fold CR, CRLF and NEL to LF (and NEL/LS/PS inside flow scalars),
    /// so a description containing them must be written double-quoted with escapes, or its fingerprint no longer
    /// matches after the round trip.
    @Test(arguments: ["a\rb", "a\r\nb", "line 1\r\nline 2\r\n", "a\u{85}b", "a\u{2028}b", "a\u{2029}b", "\r", "x\r\n"])
    func otherLineBreaksRoundTrip(_ text: String) throws {
        let payload = Payload(body: .change(description: text), fingerprint: Fixtures.fingerprint)
        let rendered = CommitMessage(head: "h", payload: payload).render()
        #expect(try CommitMessage.parse(rendered).payload == payload, "\(rendered.debugDescription)")
    }
}

@Suite struct YAMLWriterTests {
    @Test func writesPlainAndQuotedScalars() {
        let doc = YAMLWriter.write(.mapping([
            ("s", .string("text")), ("n", .plain("2")), ("q", .string("2")), ("b", .string("true")), ("e", .string("")),
            ("l", .sequence([.string("a"), .string("null")])), ("m", .mapping([])),
        ]))
        #expect(doc == "---\ns: text\nn: 2\nq: '2'\nb: 'true'\ne: ''\nl:\n- a\n- 'null'\nm: {}\n")
    }

    @Test func valueEquality() {
        #expect(YAMLValue.string("a") == .string("a"))
        #expect(YAMLValue.string("a") != .plain("a"))
        #expect(YAMLValue.mapping([("a", .string("b"))]) == .mapping([("a", .string("b"))]))
        #expect(YAMLValue.mapping([("a", .string("b"))]) != .mapping([("a", .string("c"))]))
        #expect(YAMLValue.mapping([("a", .string("b"))]) != .mapping([]))
        #expect(YAMLValue.sequence([.string("a")]) != .sequence([]))
    }
}
