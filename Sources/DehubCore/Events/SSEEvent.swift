/// One Server-Sent Event (the WHATWG `text/event-stream` format): its type (`event:`, "message" when absent),
/// the stream's last event id after it (`id:`), its data (`data:` lines joined with newlines), and a
/// reconnection delay the server asks for (`retry:`, milliseconds).
public struct SSEEvent: Hashable, Sendable {
    public var event: String
    public var id: String?
    public var data: String
    public var retry: Int?

    public init(event: String = "message", id: String? = nil, data: String, retry: Int? = nil) {
        self.event = event
        self.id = id
        self.data = data
        self.retry = retry
    }
}

/// Writes events and comments in the `text/event-stream` framing.
public enum SSEEncoder {
    /// `event:` (unless "message"), `id:`, `retry:`, one `data:` line per line of data (CR, LF and CRLF all end a
    /// line), then the blank line that dispatches it. Newlines and NUL in the type or id are dropped: they would
    /// break the framing.
    public static func encode(_ event: SSEEvent) -> String {
        var out = ""
        if event.event != "message" { out += "event: " + singleLine(event.event) + "\n" }
        if let id = event.id { out += "id: " + singleLine(id).filter { $0 != "\0" } + "\n" }
        if let retry = event.retry, retry >= 0 { out += "retry: \(retry)\n" }
        for line in lines(event.data) { out += "data: " + line + "\n" }
        return out + "\n"
    }

    /// A comment line (`: TEXT`), which clients ignore: the keep-alive.
    public static func comment(_ text: String) -> String {
        lines(text).map { ": " + $0 + "\n" }.joined()
    }

    static func lines(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n", previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                result.append(current)
                current = ""
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        result.append(current)
        return result
    }

    static func singleLine(_ text: String) -> String { text.filter { $0 != "\n" && $0 != "\r" && $0 != "\r\n" } }
}
