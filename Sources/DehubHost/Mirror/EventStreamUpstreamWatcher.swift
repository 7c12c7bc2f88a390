import DehubEvents

/// The upstream's event stream (`GET /NAME.git/dehub/events`, DehubEvents' `RefWatcher`: reconnects with backoff and
/// `Last-Event-ID`) as a trigger for a mirror's sync: any ref change, and every (re)connection (something may have
/// moved while the stream was down). Only http(s) upstreams: over SSH the host would need a key of its own there.
/// What the stream says is never trusted beyond "look now": the sync verifies.
public struct EventStreamUpstreamWatcher: UpstreamWatcher {
    public init() {}

    public func watch(upstream: String, changed: @escaping @Sendable () -> Void) async {
        guard case .success(let endpoint) = EventEndpoint.parse(remoteURL: upstream), case .http = endpoint else { return }
        let watcher = RefWatcher(endpoint: endpoint, options: EventClientOptions())
        await watcher.run { event in
            switch event {
            case .changed, .connected: changed()
            case .reconnecting, .error: break
            }
        }
    }
}
