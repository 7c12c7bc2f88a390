import Testing

@testable import DehubCore

@Suite struct EventsModelTests {
    static let a = String(repeating: "a", count: 40)
    static let b = String(repeating: "b", count: 40)
    static let zero = String(repeating: "0", count: 40)
    static let id = RefEventID(instance: "0123456789abcdef", sequence: 42)!

    @Test(arguments: [
        ("0123456789abcdef-0", true), ("0123456789abcdef-42", true), ("0123456789abcdef-18446744073709551615", true),
        ("0123456789abcdef-042", false), ("0123456789abcdef--1", false), ("0123456789ABCDEF-1", false),
        ("0123456789abcde-1", false), ("0123456789abcdef", false), ("0123456789abcdef-1-2", false),
        ("0123456789abcdef-18446744073709551616", false), ("", false), ("-1", false), ("0123456789abcdef-", false),
    ])
    func eventIDsParseStrictly(text: String, valid: Bool) {
        let id = RefEventID(text)
        #expect((id != nil) == valid)
        if let id { #expect(id.description == text) }
    }

    @Test func messagesRoundTripThroughSSE() throws {
        let messages: [RefStreamMessage] = [
            .snapshot(repo: "team/demo", ref: "refs/heads/main", oid: Self.a),
            .ready(id: Self.id, replayed: false),
            .ready(id: Self.id, replayed: true),
            .change(RefEvent(repo: "demo", ref: "refs/heads/x", old: Self.a, new: Self.zero, id: Self.id)),
            .error("too slow: \"dropped\"\nbye"),
        ]
        var decoder = SSEDecoder()
        let events = try decoder.feed(Array(messages.map(RefStreamSSE.encode).joined().utf8))
        #expect(try events.map { try RefStreamSSE.message($0) } == messages)
    }

    @Test func theSSEFormIsPinned() {
        let change = RefEvent(repo: "demo", ref: "refs/heads/main", old: Self.a, new: Self.b, id: Self.id)
        #expect(
            RefStreamSSE.encode(.change(change))
                == "event: ref\nid: 0123456789abcdef-42\ndata: {\"repo\":\"demo\",\"ref\":\"refs/heads/main\",\"old\":\"\(Self.a)\",\"new\":\"\(Self.b)\",\"id\":\"0123456789abcdef-42\"}\n\n"
        )
        #expect(
            RefStreamSSE.encode(.ready(id: Self.id, replayed: false))
                == "event: ready\nid: 0123456789abcdef-42\ndata: {\"id\":\"0123456789abcdef-42\",\"mode\":\"snapshot\"}\n\n")
    }

    @Test(arguments: [
        ("ref", "{\"repo\":\"demo\",\"ref\":\"refs/heads/main\",\"old\":\"x\",\"new\":\"y\",\"id\":\"0123456789abcdef-1\"}"),
        ("ref", "{\"repo\":\"demo\",\"ref\":\"heads/main\",\"old\":\"\(a)\",\"new\":\"\(b)\",\"id\":\"0123456789abcdef-1\"}"),
        (
            "ref",
            "{\"repo\":\"de mo\",\"ref\":\"refs/heads/main\",\"old\":\"\(a)\",\"new\":\"\(b)\",\"id\":\"0123456789abcdef-1\"}"
        ),
        ("ref", "{\"repo\":\"demo\",\"ref\":\"refs/heads/main\",\"old\":\"\(a)\",\"new\":\"\(b)\"}"),
        ("snapshot", "{\"repo\":\"demo\",\"ref\":\"refs/heads/main\"}"),
        ("snapshot", "[\"demo\"]"),
        ("snapshot", "{\"repo\":\"demo\",\"repo\":\"x\",\"ref\":\"refs/heads/main\",\"new\":\"\(a)\"}"),
        ("ready", "{\"id\":\"nope\"}"),
        ("ready", "{\"mode\":\"later\"}"),
        ("error", "{}"),
    ])
    func malformedEventsAreErrors(event: String, data: String) {
        #expect(throws: RefStreamError.self) { _ = try RefStreamSSE.message(SSEEvent(event: event, data: data)) }
    }

    @Test func eventsOfOtherTypesAreIgnored() throws {
        #expect(try RefStreamSSE.message(SSEEvent(event: "future", data: "anything")) == nil)
        #expect(try RefStreamSSE.message(SSEEvent(data: "anything")) == nil)
    }

    @Test func linesRoundTrip() throws {
        let messages: [RefStreamMessage] = [
            .snapshot(repo: "demo", ref: "refs/heads/main", oid: Self.a),
            .ready(id: nil, replayed: false),
            .error("dropped: too slow"),
        ]
        for message in messages { #expect(try RefStreamLine.parse(RefStreamLine.format(message)) == message) }
        let change = try RefStreamLine.parse("CHANGED demo refs/heads/main \(Self.a) \(Self.b)")
        guard case .change(let event) = change else {
            Issue.record("not a change")
            return
        }
        #expect([event.repo, event.ref, event.old, event.new] == ["demo", "refs/heads/main", Self.a, Self.b])
        #expect(try RefStreamLine.parse("KEEPALIVE") == nil)
        #expect(try RefStreamLine.parse("SOMETHING new") == nil)
    }

    @Test(arguments: [
        "SNAPSHOT demo refs/heads/main", "READY now", "CHANGED demo refs/heads/main \(a)",
        "CHANGED demo refs/heads/main \(a) \(b) extra", "SNAPSHOT demo refs/heads/main XYZ",
        "CHANGED demo  refs/heads/main \(a) \(b)",
    ])
    func malformedLinesAreErrors(line: String) {
        #expect(throws: RefStreamError.self) { _ = try RefStreamLine.parse(line) }
    }

    @Test func theLineFormIsPinned() {
        let change = RefEvent(repo: "demo", ref: "refs/heads/main", old: Self.a, new: Self.b, id: Self.id)
        #expect(RefStreamLine.format(.change(change)) == "CHANGED demo refs/heads/main \(Self.a) \(Self.b)")
        #expect(RefStreamLine.format(.error("a\nb")) == "ERROR a b")
    }

    @Test(arguments: [
        ("{}", [String: String]()), ("{\"a\":\"b\"}", ["a": "b"]), (" { \"a\" : \"\\u00e9\\n\\\"\" } ", ["a": "é\n\""]),
        ("{\"a\":\"\\ud83d\\ude00\"}", ["a": "😀"]),
    ])
    func flatJSONReads(text: String, fields: [String: String]) {
        #expect(FlatJSON.parse(text) == fields)
    }

    @Test(arguments: [
        "", "{", "{\"a\":1}", "{\"a\":\"b\",}", "{\"a\":\"b\"} x", "{\"a\":null}", "{\"a\":\"\n\"}", "{\"a\":\"\\x\"}",
        "{\"a\":\"\\ud83d\"}", "{'a':'b'}",
    ])
    func flatJSONRefuses(text: String) {
        #expect(FlatJSON.parse(text) == nil)
    }

    @Test func flatJSONRoundTripsAwkwardText() {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{7} del \u{7f} é 😀 \u{2028}"
        #expect(FlatJSON.parse(FlatJSON.object([("k", text)])) == ["k": text])
    }
}
