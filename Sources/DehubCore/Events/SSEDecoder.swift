/// Reads a `text/event-stream` as it arrives, in chunks cut anywhere (even between a CR and its LF), following
/// the WHATWG rules: a leading BOM is skipped; lines end with CR, LF or CRLF; `field: value` loses one space
/// after the colon; `data` lines accumulate (joined with newlines); a blank line dispatches the event, unless
/// it has no data; `:` starts a comment; unknown fields are ignored; an `id` with NUL is ignored; `retry` takes
/// only digits. The last event id persists across events, as a browser keeps it.
///
/// Bounded: a line or an event's data over `maxEventBytes` is an error, so a server that never ends a line
/// cannot fill the client's memory.
public struct SSEDecoder: Sendable {
    public let maxEventBytes: Int
    public private(set) var lastEventID: String?
    /// Comments seen since the last call (keep-alives; a client may count them as signs of life).
    public private(set) var comments = 0

    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var retry: Int?
    private var afterCR = false
    /// The last `retry:` the server sent, in milliseconds (it applies at once, with or without an event).
    public private(set) var reconnectionTime: Int?

    public init(maxEventBytes: Int = 256 * 1024, lastEventID: String? = nil) {
        self.maxEventBytes = maxEventBytes
        self.lastEventID = lastEventID
    }

    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case eventTooLarge(Int)
        public var description: String {
            switch self {
            case .eventTooLarge(let limit): "an event or a line of the stream is larger than \(limit) bytes"
            }
        }
    }

    /// Feeds bytes; returns the events they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(Failure) -> [SSEEvent] {
        var events: [SSEEvent] = []
        comments = 0
        for byte in bytes {
            if bomMatched < 3 {
                if byte == Self.bom[bomMatched] {
                    bomMatched += 1
                    continue
                }
                // Not a BOM after all: what looked like its start is content.
                line.append(contentsOf: Self.bom[0..<bomMatched])
                bomMatched = 3
            }
            if afterCR {
                afterCR = false
                if byte == 0x0a { continue }
            }
            if byte == 0x0a || byte == 0x0d {
                afterCR = byte == 0x0d
                if let event = try endLine() { events.append(event) }
                continue
            }
            line.append(byte)
            guard line.count + data.count <= maxEventBytes else { throw .eventTooLarge(maxEventBytes) }
        }
        return events
    }

    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    /// How much of a leading BOM was seen (3: done looking).
    private var bomMatched = 0

    private mutating func endLine() throws(Failure) -> SSEEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line[0] == UInt8(ascii: ":") {
            comments += 1
            return nil
        }
        let field: [UInt8]
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = Array(line[..<colon])
            value = line[(colon + 1)...]
            if value.first == 0x20 { value = value.dropFirst() }
        } else {
            field = line
            value = []
        }
        switch String(decoding: field, as: UTF8.self) {
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "data":
            if hasData { data.append(0x0a) }
            data.append(contentsOf: value)
            hasData = true
            guard data.count <= maxEventBytes else { throw .eventTooLarge(maxEventBytes) }
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.count <= 9, value.allSatisfy({ (0x30...0x39).contains($0) }) {
                retry = Int(String(decoding: value, as: UTF8.self))
                reconnectionTime = retry
            }
        default:
            break
        }
        return nil
    }

    private mutating func dispatch() -> SSEEvent? {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = nil
            retry = nil
        }
        guard hasData else { return nil }
        let type = eventType.flatMap { $0.isEmpty ? nil : $0 } ?? "message"
        return SSEEvent(event: type, id: lastEventID, data: String(decoding: data, as: UTF8.self), retry: retry)
    }
}
