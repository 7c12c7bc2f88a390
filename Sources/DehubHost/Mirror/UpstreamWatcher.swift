/// Tells a mirror at once that its upstream's refs moved (a dehub host's event stream), so that a sync follows a
/// push within a second instead of waiting for the poll. Only a trigger: whatever it says, the sync verifies.
public protocol UpstreamWatcher: Sendable {
    /// Calls `changed` whenever the upstream announces a ref change, until the task is cancelled; reconnects on its
    /// own. Returns at once for an upstream it cannot watch (not http(s)).
    func watch(upstream: String, changed: @escaping @Sendable () -> Void) async
}
