import Testing

@testable import DehubCore

@Suite struct WatchProtocolTests {
    @Test(arguments: [
        ("PAUSE", WatchMessage.pause), ("RESUME", .resume), ("PUSH origin", .push(remote: "origin")),
        ("PUSH origin\r", .push(remote: "origin")),
        ("CHANGED origin refs/heads/main", .changed(remote: "origin", refs: ["refs/heads/main"])),
        ("CHANGED up refs/heads/a refs/tags/v1", .changed(remote: "up", refs: ["refs/heads/a", "refs/tags/v1"])),
        ("STATUS origin connected", .status(remote: "origin", text: "connected")),
        ("STATUS origin reconnecting in 2 s", .status(remote: "origin", text: "reconnecting in 2 s")),
        ("ERROR origin repository not found", .error(remote: "origin", text: "repository not found")),
    ])
    func parses(line: String, message: WatchMessage) {
        #expect(WatchMessage.parse(line) == .success(message))
    }

    @Test(arguments: [
        ("", WatchMessageError.unknown("")), ("HELLO", .unknown("HELLO")), ("pause", .unknown("pause")),
        ("PAUSE now", .unexpectedArguments("PAUSE")), ("RESUME ", .unexpectedArguments("RESUME")),
        ("PUSH", .malformed("PUSH")), ("PUSH a b", .malformed("PUSH")), ("PUSH  a", .malformed("PUSH")),
        ("CHANGED origin", .malformed("CHANGED")), ("CHANGED origin main", .malformed("CHANGED")),
        ("STATUS origin", .malformed("STATUS")), ("PUSH or\u{1}igin", .controlCharacter),
        (String(repeating: "P", count: 5000), .tooLong),
    ])
    func refuses(line: String, error: WatchMessageError) {
        #expect(WatchMessage.parse(line) == .failure(error))
    }

    @Test func formatsTheSeedsLines() {
        #expect(
            WatchMessage.changed(remote: "origin", refs: ["refs/heads/main", "refs/heads/x"]).line
                == "CHANGED origin refs/heads/main refs/heads/x")
        #expect(WatchMessage.status(remote: "origin", text: "reconnecting in 2 s").line == "STATUS origin reconnecting in 2 s")
        #expect(WatchMessage.error(remote: "o", text: "line one\nline two\r").line == "ERROR o line one line two ")
        #expect(WatchMessage.pause.line == "PAUSE")
        #expect(WatchMessage.resume.line == "RESUME")
        #expect(WatchMessage.push(remote: "origin").line == "PUSH origin")
    }

    @Test(arguments: [
        WatchMessage.changed(remote: "origin", refs: ["refs/heads/main"]), .status(remote: "r", text: "a b  c"),
        .error(remote: "r", text: "x"), .pause, .resume, .push(remote: "up-stream.2"),
    ])
    func roundTrips(message: WatchMessage) {
        #expect(WatchMessage.parse(message.line) == .success(message))
    }

    @Test func errorMessagesArePinned() {
        #expect(
            WatchMessageError.unknown("HELLO").description == "unknown message 'HELLO' (expected PAUSE, RESUME or PUSH REMOTE)")
        #expect(WatchMessageError.malformed("PUSH").description == "malformed PUSH message")
        #expect(WatchMessageError.unexpectedArguments("PAUSE").description == "PAUSE takes no arguments")
    }
}
