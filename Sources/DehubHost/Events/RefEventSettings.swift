/// The event stream's limits, from the host config (`events_*` keys; docs/host.md, "Limits").
public struct RefEventSettings: Equatable, Sendable {
    /// Watchers (SSE and SSH streams together) the host serves at once; past it, a refusal that names the setting.
    public var maxWatchers = 2000
    /// Changes one watcher may have unread; past it, the watcher is dropped with a message.
    public var watcherBuffer = 1024
    /// Changes the host keeps for watchers that reconnect with `Last-Event-ID`.
    public var replayEvents = 4096
    /// Seconds between reconciliation scans of the watched repositories (changes made behind the host's back).
    public var scanIntervalSeconds = 30
    /// Seconds between keep-alives on an idle stream.
    public var keepAliveSeconds = 15
    /// Seconds a stream lasts at most; the client reconnects (and its access is checked again).
    public var maxStreamSeconds = 3600
    /// Repositories one connection may watch.
    public static let maxReposPerWatch = 64

    public init() {}
}
