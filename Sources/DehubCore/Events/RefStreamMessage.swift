/// What a watcher's connection carries, whatever the transport: first one `snapshot` per ref of each repository,
/// then `ready` (with the id the stream stands at), then one `change` per ref that moved. A client that reconnects
/// with the last id it saw gets, instead of the snapshot, the changes it missed and a `ready` that says `replayed`. `error` ends the stream
/// with the host's reason (a watcher too slow to keep up, the host shutting down).
public enum RefStreamMessage: Hashable, Sendable {
    case snapshot(repo: String, ref: String, oid: String)
    case ready(id: RefEventID?, replayed: Bool)
    case change(RefEvent)
    case error(String)
}

/// The SSE form of the stream (`text/event-stream`): `event: snapshot|ready|ref|error`, one JSON `data:` line,
/// `id:` on `ready` and `ref` (the `Last-Event-ID` a reconnecting client sends).
///
///     event: snapshot
///     data: {"repo":"demo","ref":"refs/heads/main","new":"4b82..."}
///
///     event: ready
///     id: 3f09c1d2a4b5e6f7-12
///     data: {"id":"3f09c1d2a4b5e6f7-12","mode":"snapshot"}
///
///     event: ref
///     id: 3f09c1d2a4b5e6f7-13
///     data: {"repo":"demo","ref":"refs/heads/main","old":"4b82...","new":"9c1e...","id":"3f09c1d2a4b5e6f7-13"}
public enum RefStreamSSE {
    public static func event(_ message: RefStreamMessage) -> SSEEvent {
        switch message {
        case .snapshot(let repo, let ref, let oid):
            return SSEEvent(event: "snapshot", data: FlatJSON.object([("repo", repo), ("ref", ref), ("new", oid)]))
        case .ready(let id, let replayed):
            return SSEEvent(
                event: "ready", id: id?.description,
                data: FlatJSON.object(
                    (id.map { [("id", $0.description)] } ?? []) + [("mode", replayed ? "replay" : "snapshot")]))
        case .change(let e):
            return SSEEvent(
                event: "ref", id: e.id.description,
                data: FlatJSON.object([
                    ("repo", e.repo), ("ref", e.ref), ("old", e.old), ("new", e.new), ("id", e.id.description),
                ]))
        case .error(let text):
            return SSEEvent(event: "error", data: FlatJSON.object([("message", text)]))
        }
    }

    public static func encode(_ message: RefStreamMessage) -> String { SSEEncoder.encode(event(message)) }

    /// Reads one event back; nil for an event of another type (ignored, so the host may add types) .
    public static func message(_ event: SSEEvent) throws(RefStreamError) -> RefStreamMessage? {
        guard ["snapshot", "ready", "ref", "error"].contains(event.event) else { return nil }
        guard let fields = FlatJSON.parse(event.data) else {
            throw .malformed("\(event.event) event: data is not a JSON object of strings")
        }
        func field(_ name: String) throws(RefStreamError) -> String {
            guard let value = fields[name] else { throw .malformed("\(event.event) event without \(name)") }
            return value
        }
        switch event.event {
        case "snapshot":
            let repo = try field("repo"), ref = try field("ref"), oid = try field("new")
            try RefStreamError.check(repo: repo, ref: ref, oids: [oid])
            return .snapshot(repo: repo, ref: ref, oid: oid)
        case "ready":
            let replayed: Bool
            switch fields["mode"] {
            case "replay": replayed = true
            case "snapshot", nil: replayed = false
            default: throw .malformed("ready event: unknown mode")
            }
            guard let text = fields["id"] else { return .ready(id: nil, replayed: replayed) }
            guard let id = RefEventID(text) else { throw .malformed("ready event: malformed id") }
            return .ready(id: id, replayed: replayed)
        case "ref":
            let repo = try field("repo"), ref = try field("ref"), old = try field("old"), new = try field("new")
            try RefStreamError.check(repo: repo, ref: ref, oids: [old, new])
            guard let id = RefEventID(try field("id")) else { throw .malformed("ref event: malformed id") }
            return .change(RefEvent(repo: repo, ref: ref, old: old, new: new, id: id))
        default:
            return .error(try field("message"))
        }
    }
}

/// A stream the client cannot read: it drops the connection and reconnects.
public enum RefStreamError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)

    public var description: String {
        switch self {
        case .malformed(let why): "malformed event stream: \(why)"
        }
    }

    static func check(repo: String, ref: String, oids: [String]) throws(RefStreamError) {
        guard RefEventText.isRepoName(repo) else { throw .malformed("bad repository name") }
        guard RefEventText.isRefName(ref) else { throw .malformed("bad ref name") }
        guard oids.allSatisfy({ RefEventText.isObjectID($0) }) else { throw .malformed("bad object id") }
    }
}
