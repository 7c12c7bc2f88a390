/// The engine and the upstream watcher mirrors run with.
public enum MirrorEngines {
    public static var standard: any MirrorEngine { ReplicationMirrorEngine() }
    public static var watcher: (any UpstreamWatcher)? { EventStreamUpstreamWatcher() }
}
