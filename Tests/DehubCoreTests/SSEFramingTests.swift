import Testing

@testable import DehubCore

@Suite struct SSEFramingTests {
    func decodeAll(_ text: String, chunk: Int = .max) throws -> [SSEEvent] {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            events += try decoder.feed(bytes[start..<end])
            start = end
        }
        return events
    }

    @Test func encodesTypeIdRetryAndMultiLineData() {
        let text = SSEEncoder.encode(SSEEvent(event: "ref", id: "a-1", data: "one\ntwo\r\nthree\rfour", retry: 1500))
        #expect(text == "event: ref\nid: a-1\nretry: 1500\ndata: one\ndata: two\ndata: three\ndata: four\n\n")
        #expect(SSEEncoder.encode(SSEEvent(data: "x")) == "data: x\n\n")
        #expect(SSEEncoder.encode(SSEEvent(data: "")) == "data: \n\n")
    }

    @Test func typeAndIdCannotBreakTheFraming() {
        let text = SSEEncoder.encode(SSEEvent(event: "a\nb", id: "x\ny\0", data: "d"))
        #expect(text == "event: ab\nid: xy\ndata: d\n\n")
    }

    @Test func commentsAreComments() {
        #expect(SSEEncoder.comment("keep-alive") == ": keep-alive\n")
        #expect(SSEEncoder.comment("a\nb") == ": a\n: b\n")
    }

    @Test(arguments: [1, 2, 3, 7, 1000])
    func roundTripsInAnyChunking(chunk: Int) throws {
        let events = [
            SSEEvent(event: "snapshot", data: "{\"a\":\"b\"}"),
            SSEEvent(event: "ready", id: "0123456789abcdef-3", data: "x"),
            SSEEvent(event: "ref", id: "0123456789abcdef-4", data: "line1\nline2\n\nline4"),
            SSEEvent(data: "plain"),
        ]
        let text = events.map(SSEEncoder.encode).joined(separator: SSEEncoder.comment("ka"))
        let decoded = try decodeAll(text, chunk: chunk)
        #expect(decoded.map(\.event) == ["snapshot", "ready", "ref", "message"])
        #expect(decoded.map(\.data) == events.map(\.data))
        // The id persists: the snapshot has none, later events keep the last one seen.
        #expect(decoded.map(\.id) == [nil, "0123456789abcdef-3", "0123456789abcdef-4", "0123456789abcdef-4"])
    }

    @Test(arguments: ["\n", "\r", "\r\n"])
    func everyLineEndingEndsALine(ending: String) throws {
        let text = ["event: e", "data: 1", "data: 2", "", ""].joined(separator: ending)
        for chunk in [1, 2, 100] {
            let decoded = try decodeAll(text, chunk: chunk)
            #expect(decoded == [SSEEvent(event: "e", data: "1\n2")])
        }
    }

    @Test func fieldRulesFollowTheSpecification() throws {
        // No space after the colon, two spaces (one kept), a field without colon, unknown fields, a BOM.
        let text = "\u{FEFF}data:a\ndata:  b\ndata\nfoo: bar\nevent:\n\n"
        let decoded = try decodeAll(text, chunk: 1)
        #expect(decoded == [SSEEvent(event: "message", data: "a\n b\n")])
    }

    @Test func aBlankLineWithoutDataDispatchesNothingAndResetsTheType() throws {
        let decoded = try decodeAll("event: x\n\ndata: y\n\n")
        #expect(decoded == [SSEEvent(data: "y")])
    }

    @Test func anUnfinishedEventIsNotDispatched() throws {
        #expect(try decodeAll("data: y\n").isEmpty)
        #expect(try decodeAll("data: y").isEmpty)
    }

    @Test func idWithNulIsIgnoredAndAnEmptyIdClearsIt() throws {
        var decoder = SSEDecoder()
        _ = try decoder.feed(Array("id: 7\ndata: a\n\n".utf8))
        #expect(decoder.lastEventID == "7")
        _ = try decoder.feed(Array("id: 8\u{0}9\ndata: a\n\n".utf8))
        #expect(decoder.lastEventID == "7")
        let events = try decoder.feed(Array("id\ndata: b\n\n".utf8))
        #expect(decoder.lastEventID == "")
        #expect(events.first?.id == "")
    }

    @Test func retryTakesOnlyDigitsAndAppliesWithoutAnEvent() throws {
        var decoder = SSEDecoder()
        _ = try decoder.feed(Array("retry: 2500\n\n".utf8))
        #expect(decoder.reconnectionTime == 2500)
        _ = try decoder.feed(Array("retry: 12x\n\nretry: -1\n\n".utf8))
        #expect(decoder.reconnectionTime == 2500)
    }

    @Test func commentsAreCountedAndSkipped() throws {
        var decoder = SSEDecoder()
        let events = try decoder.feed(Array(": keep-alive\n:\ndata: z\n\n".utf8))
        #expect(events == [SSEEvent(data: "z")])
        #expect(decoder.comments == 2)
    }

    @Test func aBOMOnlyCountsAtTheStart() throws {
        let decoded = try decodeAll("data: \u{FEFF}x\n\n")
        #expect(decoded.first?.data == "\u{FEFF}x")
        // A first byte that merely starts like a BOM is content.
        var decoder = SSEDecoder()
        let events = try decoder.feed([0xEF, 0x41] + Array(": c\ndata: q\n\n".utf8))
        #expect(events == [SSEEvent(data: "q")])
    }

    @Test func anEndlessLineIsAnError() {
        var decoder = SSEDecoder(maxEventBytes: 64)
        #expect(throws: SSEDecoder.Failure.eventTooLarge(64)) {
            _ = try decoder.feed(Array(("data: " + String(repeating: "x", count: 100)).utf8))
        }
        var many = SSEDecoder(maxEventBytes: 64)
        #expect(throws: SSEDecoder.Failure.eventTooLarge(64)) {
            _ = try many.feed(Array(String(repeating: "data: 0123456789\n", count: 10).utf8))
        }
        #expect(SSEDecoder.Failure.eventTooLarge(64).description == "an event or a line of the stream is larger than 64 bytes")
    }
}
