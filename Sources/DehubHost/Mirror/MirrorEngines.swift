/// The engine and the upstream watcher mirrors run with.
public enum MirrorEngines {
    public static var standard: any MirrorEngine { ReplicationMirrorEngine() }
    /// nil until the event stream's client is in: mirrors then poll only.
    public static var watcher: (any UpstreamWatcher)? { nil }
}
