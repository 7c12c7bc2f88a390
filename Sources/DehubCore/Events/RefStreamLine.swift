/// The line form of the stream, for `ssh git@HOST watch NAME...`: one message per line, words separated by
/// single spaces.
///
///     SNAPSHOT demo refs/heads/main 4b82...
///     READY
///     CHANGED demo refs/heads/main 4b82... 9c1e...
///     KEEPALIVE
///     ERROR the watcher fell too far behind
///
/// The SSH stream carries no ids: a client that reconnects gets a fresh snapshot and compares.
public enum RefStreamLine {
    public static let keepAlive = "KEEPALIVE"
    public static let maxLineBytes = 4096

    public static func format(_ message: RefStreamMessage) -> String {
        switch message {
        case .snapshot(let repo, let ref, let oid): "SNAPSHOT \(repo) \(ref) \(oid)"
        case .ready: "READY"
        case .change(let e): "CHANGED \(e.repo) \(e.ref) \(e.old) \(e.new)"
        case .error(let text): "ERROR " + WatchMessage.oneLine(text)
        }
    }

    /// One line (without its newline). nil for `KEEPALIVE` and for a line of an unknown kind (ignored, so the host
    /// may add kinds); an error for a known kind with the wrong fields.
    public static func parse(_ line: some StringProtocol) throws(RefStreamError) -> RefStreamMessage? {
        guard line.utf8.count <= maxLineBytes else { throw .malformed("line too long") }
        let words = String(line).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        switch words.first {
        case "SNAPSHOT":
            guard words.count == 4 else { throw .malformed("SNAPSHOT needs REPO REF OID") }
            try RefStreamError.check(repo: words[1], ref: words[2], oids: [words[3]])
            return .snapshot(repo: words[1], ref: words[2], oid: words[3])
        case "READY":
            guard words.count == 1 else { throw .malformed("READY takes no arguments") }
            return .ready(id: nil, replayed: false)
        case "CHANGED":
            guard words.count == 5 else { throw .malformed("CHANGED needs REPO REF OLD NEW") }
            try RefStreamError.check(repo: words[1], ref: words[2], oids: [words[3], words[4]])
            // Lines carry no id; the client's table of refs decides what is new.
            let id = RefEventID(instance: "0000000000000000", sequence: 0)!
            return .change(RefEvent(repo: words[1], ref: words[2], old: words[3], new: words[4], id: id))
        case "ERROR":
            return .error(words.dropFirst().joined(separator: " "))
        default:
            return nil
        }
    }
}
