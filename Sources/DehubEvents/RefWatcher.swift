import DehubCore
import Synchronization

/// Watches one remote's event stream and says what changed, across connections: it reconnects with backoff
/// (and `Last-Event-ID` over HTTP), and compares each fresh snapshot with what it knew, so a change made while
/// it was disconnected (or paused) is reported once, and nothing is reported twice.
///
/// `run` returns when its task is cancelled (a pause); what the watcher knows stays, so the next `run` reports
/// what changed meanwhile. The host's mirrors and `dehub watch` use it alike.
public final class RefWatcher: Sendable {
    public enum Event: Equatable, Sendable {
        /// Connected (a snapshot or replay arrived): the refs are known.
        case connected
        /// These refs moved (creations and deletions included).
        case changed([RefTable.RefKey])
        /// The connection is gone; the next attempt is in `after`.
        case reconnecting(after: Duration, reason: String)
        /// The host refused the watcher or broke the protocol (the watcher keeps trying).
        case error(String)
    }

    public let endpoint: EventEndpoint
    public let options: EventClientOptions
    private let state: Mutex<State>

    private struct State {
        var table = RefTable()
        var lastEventID: String?
        var backoff: ReconnectBackoff
    }

    public init(endpoint: EventEndpoint, options: EventClientOptions, backoff: ReconnectBackoff = ReconnectBackoff()) {
        self.endpoint = endpoint
        self.options = options
        self.state = Mutex(State(backoff: backoff))
    }

    /// What the watcher knows of the remote's refs.
    public var refs: RefTable { state.withLock { $0.table } }

    public func run(_ onEvent: @Sendable (Event) async -> Void) async {
        let usesIDs: Bool
        if case .http = endpoint { usesIDs = true } else { usesIDs = false }
        while !Task.isCancelled {
            let lastEventID = state.withLock { s -> String? in
                s.table.beginSnapshot()
                return s.lastEventID
            }
            let started = ContinuousClock.now
            var readied = false
            let end = await EventConnection.run(
                endpoint, lastEventID: usesIDs ? lastEventID : nil, options: options,
                onRetry: { milliseconds in state.withLock { $0.backoff.serverAsked(milliseconds: milliseconds) } }
            ) { message in
                var changed: [RefTable.RefKey] = []
                var connected = false
                state.withLock { s in
                    switch message {
                    case .snapshot(let repo, let ref, let oid):
                        _ = s.table.snapshot(repo: repo, ref: ref, oid: oid)
                    case .ready(let id, let replayed):
                        changed = s.table.ready(replayed: replayed)
                        if usesIDs { s.lastEventID = id?.description }
                        s.backoff.reset()
                        connected = true
                    case .change(let event):
                        if s.table.change(event) { changed = [RefTable.RefKey(repo: event.repo, ref: event.ref)] }
                        if usesIDs { s.lastEventID = event.id.description }
                    case .error:
                        break
                    }
                }
                if connected {
                    readied = true
                    await onEvent(.connected)
                }
                if !changed.isEmpty { await onEvent(.changed(changed)) }
            }
            state.withLock { $0.table.abandon() }
            guard !Task.isCancelled else { return }
            let reason: String
            switch end {
            case .closed:
                // The host closed a stream that lasted: its maximum age, not a failure. Back at once.
                if readied, ContinuousClock.now - started >= .seconds(5) { continue }
                reason = "the host closed the stream"
            case .ended(let why):
                reason = why
            case .failed(let why):
                reason = why
            case .refused(let why), .malformed(let why):
                reason = why
                await onEvent(.error(why))
            }
            let delay = state.withLock { $0.backoff.next(random: Double.random(in: 0..<1)) }
            await onEvent(.reconnecting(after: delay, reason: reason))
            do { try await Task.sleep(for: delay) } catch { return }
        }
    }
}
