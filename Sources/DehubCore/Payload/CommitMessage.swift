/// A dehub commit message: a human head line, then a YAML payload opened by `---` (format §3.1).
public struct CommitMessage: Equatable, Sendable {
    public var head: String
    public var payload: Payload

    public init(head: String, payload: Payload) {
        self.head = head
        self.payload = payload
    }

    /// Parses a raw commit message strictly.
    public static func parse(_ message: String, limits: PayloadLimits = .default) throws(PayloadError) -> CommitMessage {
        let bytes = Array(message.utf8)
        guard bytes.count <= limits.maxMessageBytes else {
            throw PayloadError("commit message is \(bytes.count) bytes, more than the limit of \(limits.maxMessageBytes)")
        }
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
            throw PayloadError("commit message has no payload: it is a single line (is this a dehub commit?)")
        }
        let head = String(decoding: bytes[..<newline], as: UTF8.self)
        let body = Array(bytes[(newline + 1)...])
        let root: YAMLNode?
        do {
            root = try StrictYAMLReader.read(body, limits: YAMLLimits(maxBytes: limits.maxMessageBytes), lineOffset: 1)
        } catch let error as YAMLError {
            throw PayloadError(error)
        } catch {
            throw PayloadError("payload could not be read: \(error)")
        }
        guard let root else { throw PayloadError("commit message has no payload after its head line (is this a dehub commit?)") }
        do {
            return CommitMessage(head: head, payload: try PayloadDecoder(limits: limits).decode(root))
        } catch let error as YAMLFieldError {
            throw PayloadError(error)
        } catch let error as PayloadError {
            throw error
        } catch {
            throw PayloadError("payload could not be read: \(error)")
        }
    }

    /// The message as dehub writes it: head, a blank line, then the payload document.
    public func render() -> String {
        return Self.firstLine(head) + "\n\n" + YAMLWriter.write(PayloadEncoder.encode(payload))
    }

    /// The head dehub writes for a payload (format §3.4).
    public static func defaultHead(for payload: Payload) -> String {
        switch payload.body {
        case .change(let description):
            return firstLine(description)
        case .comment(let text):
            let line = firstLine(text)
            let short = line.count > 60 ? String(line.prefix(57)) + "..." : line
            return "Comment: \"\(short)\""
        case .credential:
            let accounts = payload.credentials.map { $0.account ?? "anonymous" }
            var seen = Set<String>()
            let unique = accounts.filter { seen.insert($0).inserted }
            return "Credential of \(unique.isEmpty ? "nobody" : unique.joined(separator: ", "))"
        case .tag(let fields):
            return "Release \(fields.name): \(firstLine(fields.description))"
        }
    }

    /// Up to the first newline byte (`\r\n` is one Character to Swift, so split on bytes, as git does).
    static func firstLine(_ text: String) -> String {
        var line = Array(text.utf8.prefix { $0 != 10 })
        if line.last == 13 { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
