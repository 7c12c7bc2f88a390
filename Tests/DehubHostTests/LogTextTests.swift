import DehubTestSupport
import Foundation
import Logging
import Testing

@testable import DehubHost

@Suite("Log escaping")
struct LogTextTests {
    @Test(
        "control characters cannot forge or hide log lines",
        arguments: [
            ("git-upload-pack 'demo.git'", "git-upload-pack 'demo.git'"),
            ("x\nINFO forged line", "x\\nINFO forged line"),
            ("a\rb\tc", "a\\rb\\tc"),
            ("esc \u{1b}[2J", "esc \\u{1b}[2J"),
            ("back\\slash", "back\\\\slash"),
            ("nel\u{85}ls\u{2028}ps\u{2029}del\u{7f}", "nel\\u{85}ls\\u{2028}ps\\u{2029}del\\u{7f}"),
            ("ünïcode ok", "ünïcode ok"),
        ])
    func escaped(raw: String, logged: String) {
        #expect(LogText.escaped(raw) == logged)
    }

    @Test("the log handler escapes the message and every metadata value")
    func handler() {
        let sink = CapturingLogHandler()
        var logger = Logger(label: "test") { _ in EscapingLogHandler(sink) }
        logger.logLevel = .info
        logger.info("ssh \("repo list\nforged")", metadata: ["path": "/a\nb", "list": .array([.string("c\rd")])])
        let event = sink.events.first
        #expect(event?.message == "ssh repo list\\nforged")
        #expect(event?.metadata["path"] == "/a\\nb")
        #expect(event?.metadata["list"] == .array([.string("c\\rd")]))
    }
}

/// Keeps what is logged (tests only).
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    struct Event { var message: String; var metadata: Logger.Metadata }
    var events: [Event] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        events.append(Event(message: event.message.description, metadata: event.metadata ?? [:]))
    }
}

extension EndToEnd {
    @Suite("Log lines, end to end")
    struct LogLineTests {
        @Test("an SSH command or HTTP path with a newline cannot forge a log line")
        func forgedLines() throws {
            let host = try HostFixture.start(extraArguments: ["--log-level", "info"], createDemo: false)
            defer { host.stop() }
            let server = host.server
            _ = try server.ssh(["repo list\nFORGED-SSH line"], key: nil, user: "anonymous")
            _ = try HostCommandRunner.run(
                ["curl", "-s", "-o", "/dev/null", "http://127.0.0.1:\(server.httpPort)/x%0AFORGED-HTTP"],
                environment: server.environment)
            usleep(300_000)
            let lines = server.lines
            #expect(lines.contains { $0.contains("repo list\\nFORGED-SSH line") }, "\(lines)")
            #expect(!lines.contains { $0.hasPrefix("FORGED") }, "\(lines)")
        }
    }
}
