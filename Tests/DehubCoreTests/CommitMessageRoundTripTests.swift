import DehubTestSupport
import Testing

@testable import DehubCore

/// render → parse gives back the same payload, for strings chosen to trip YAML writers: words other YAML readers
/// type as null/boolean/number, indicators, quotes, leading and trailing spaces, line breaks, unicode, empty.
@Suite struct CommitMessageRoundTripTests {
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomPayloadsRoundTrip(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for i in 0..<1_000 {
            let payload = RandomPayloads.payload(&rng)
            let head = String(decoding: RandomPayloads.text(&rng).utf8.prefix { $0 != 10 && $0 != 13 }, as: UTF8.self)
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

    @Test(
        arguments: RandomPayloads.pieces + [
            "no", "  leading", "trailing  ", "line\n", "line\n\n", "\nline", "\n\nline", " \n", "\n ", "a \nb", "a\n\n\nb",
            "- x\n- y", ": y", "# not a comment", "'single'", "\"double\"", "it's", "back\\slash", "tab\there", "\tlead",
            String(repeating: "long words ", count: 50), "123", "0777", "+1", "-.5e3", "12:30:45", "2001-12-14", "=",
        ])
    func singleStringsRoundTrip(_ text: String) throws {
        for body in [Payload.Body.change(description: text), .comment(text), .credential(commits: [], changeDescription: text)] {
            let payload = Payload(
                body: body, fingerprint: Fixtures.fingerprint,
                credentials: [
                    .ssh(SSHCredential(pubKey: text + "k", signature: [1, 2, 3], account: "alice"))
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

/// Mutants the fuzzer got accepted survive the real writer too (see FuzzTests for the mutations).
extension CommitMessageRoundTripTests {
    @Test func acceptedMutantsSurviveRender() {
        var rng = SeededGenerator(seed: 31)
        for i in 0..<2_000 {
            let valid = Array(TestPayloadWriter.render(head: "h", payload: RandomPayloads.payload(&rng)).utf8)
            guard let parsed = try? CommitMessage.parse(String(decoding: FuzzTests.mutate(valid, &rng), as: UTF8.self)) else {
                continue
            }
            #expect((try? CommitMessage.parse(parsed.render()))?.payload == parsed.payload, "iteration \(i)")
        }
    }

    /// The head dehub writes for a description with CRLF line ends must not break the message it heads.
    @Test func messageWithDefaultHeadOfACRLFDescriptionParses() {
        let payload = Payload(body: .change(description: "Fix the parser\r\nDetails."), fingerprint: Fixtures.fingerprint)
        let text = CommitMessage(head: CommitMessage.defaultHead(for: payload), payload: payload).render()
        let parsed = try? CommitMessage.parse(text)
        #expect(parsed?.payload == payload)
    }
}

@Suite struct YAMLWriterTests {
    @Test func writesPlainAndQuotedScalars() {
        let doc = YAMLWriter.write(
            .mapping([
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
