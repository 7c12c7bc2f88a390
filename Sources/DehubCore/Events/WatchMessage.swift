/// The stdio protocol of `dehub watch --foreground`, git-annex's git-remote-daemon protocol: asynchronous, line
/// based, no replies. It emits `CHANGED`, `STATUS` and `ERROR`, and consumes `PAUSE`, `RESUME` and `PUSH`.
public enum WatchMessage: Hashable, Sendable {
    // Emitted.
    /// The named refs of the remote changed (several changes in a short window share one line).
    case changed(remote: String, refs: [String])
    /// A user-visible status of the remote (connected, reconnecting in N s, paused).
    case status(remote: String, text: String)
    /// A user-visible error about the remote; the daemon keeps running.
    case error(remote: String, text: String)
    // Consumed.
    /// Close the connections and idle (all remotes).
    case pause
    /// Connect again; changes made while paused are reported.
    case resume
    /// Run `git push REMOTE` when next possible; repeats before it runs collapse into one.
    case push(remote: String)

    public static let maxLineBytes = 4096

    /// The line, without its newline. Texts lose control characters (a line stays one line).
    public var line: String {
        switch self {
        case .changed(let remote, let refs): (["CHANGED", remote] + refs).joined(separator: " ")
        case .status(let remote, let text): "STATUS \(remote) " + Self.oneLine(text)
        case .error(let remote, let text): "ERROR \(remote) " + Self.oneLine(text)
        case .pause: "PAUSE"
        case .resume: "RESUME"
        case .push(let remote): "PUSH \(remote)"
        }
    }

    /// Parses one line (a trailing CR is dropped). Words are separated by single spaces; a remote name is one
    /// word of printable characters.
    public static func parse(_ text: some StringProtocol) -> Result<WatchMessage, WatchMessageError> {
        var line = Substring(text)
        if line.hasSuffix("\r") { line = line.dropLast() }
        guard line.utf8.count <= maxLineBytes else { return .failure(.tooLong) }
        guard !line.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            return .failure(.controlCharacter)
        }
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        let command = words.first.map(String.init) ?? ""
        func remote() -> String? {
            guard words.count >= 2, isRemoteName(words[1]) else { return nil }
            return String(words[1])
        }
        switch command {
        case "PAUSE", "RESUME":
            guard words.count == 1 else { return .failure(.unexpectedArguments(command)) }
            return .success(command == "PAUSE" ? .pause : .resume)
        case "PUSH":
            guard words.count == 2, let remote = remote() else { return .failure(.malformed(command)) }
            return .success(.push(remote: remote))
        case "CHANGED":
            guard let remote = remote(), words.count == 3 else { return .failure(.malformed(command)) }
            let refs = words[2].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard refs.allSatisfy({ RefEventText.isRefName($0) }) else { return .failure(.malformed(command)) }
            return .success(.changed(remote: remote, refs: refs))
        case "STATUS", "ERROR":
            guard let remote = remote(), words.count == 3 else { return .failure(.malformed(command)) }
            let text = String(words[2])
            return .success(command == "STATUS" ? .status(remote: remote, text: text) : .error(remote: remote, text: text))
        default:
            return .failure(.unknown(String(command.prefix(40))))
        }
    }

    /// A git remote name as a word of the protocol: printable ASCII without spaces, at most 256 bytes.
    public static func isRemoteName(_ text: some StringProtocol) -> Bool {
        let bytes = text.utf8
        return !bytes.isEmpty && bytes.count <= 256 && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7f }
    }

    /// `text` with every control character (newlines included) replaced by a space.
    public static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? " " : $0 }))
    }
}

public enum WatchMessageError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknown(String)
    case malformed(String)
    case unexpectedArguments(String)
    case tooLong
    case controlCharacter

    public var description: String {
        switch self {
        case .unknown(let word): "unknown message '\(word)' (expected PAUSE, RESUME or PUSH REMOTE)"
        case .malformed(let word): "malformed \(word) message"
        case .unexpectedArguments(let word): "\(word) takes no arguments"
        case .tooLong: "message longer than \(WatchMessage.maxLineBytes) bytes"
        case .controlCharacter: "message with a control character"
        }
    }
}
