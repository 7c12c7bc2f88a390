/// Gathers the refs that change within a short window into one `CHANGED` line per remote: the first change of
/// a remote opens its window, every change until the window closes joins it (each ref once, in the order they
/// first changed). Time is the caller's: it passes `now` and asks what is due.
public struct ChangeCoalescer<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public let window: Duration
    private var pending: [String: (opened: Instant, refs: [String])] = [:]
    private var order: [String] = []

    public init(window: Duration = .milliseconds(50)) { self.window = window }

    /// Records a change; returns when the remote's window closes.
    @discardableResult
    public mutating func add(remote: String, ref: String, at now: Instant) -> Instant {
        if var entry = pending[remote] {
            if !entry.refs.contains(ref) { entry.refs.append(ref) }
            pending[remote] = entry
            return entry.opened.advanced(by: window)
        }
        pending[remote] = (now, [ref])
        order.append(remote)
        return now.advanced(by: window)
    }

    /// The lines whose window closed by `now` (oldest window first); they are forgotten.
    public mutating func due(at now: Instant) -> [WatchMessage] {
        var out: [WatchMessage] = []
        order.removeAll { remote in
            guard let entry = pending[remote], entry.opened.advanced(by: window) <= now else { return false }
            out.append(.changed(remote: remote, refs: entry.refs))
            pending[remote] = nil
            return true
        }
        return out
    }

    /// Everything pending, due or not (at exit).
    public mutating func flush() -> [WatchMessage] {
        let out = order.compactMap { remote in pending[remote].map { WatchMessage.changed(remote: remote, refs: $0.refs) } }
        pending = [:]
        order = []
        return out
    }

    /// When the earliest pending window closes; nil when nothing is pending.
    public var nextDeadline: Instant? { order.compactMap { pending[$0]?.opened.advanced(by: window) }.min() }
}
