import Logging
import ServiceLifecycle
import Synchronization

/// Keeps every mirror of the host in step with its upstream, as a service of the host's lifecycle: a sync at start
/// (resuming from the last verified state), then one whenever the upstream's event stream announces a change
/// (`UpstreamWatcher`), when an admin asks (`kick`), and at the latest every `mirror_poll_seconds`. Requests that
/// arrive while a sync runs collapse into one more sync. Mirrors added while the host runs are picked up by `kick`
/// (SSH admin commands) or within `rescanInterval` (`dehub-host mirror add` on the server).
public final class MirrorScheduler: Service, Sendable {
    let sync: MirrorSync
    let pollInterval: Duration
    let rescanInterval: Duration
    let watcher: (any UpstreamWatcher)?
    let logger: Logger
    let onSynced: @Sendable (RepoName, MirrorState) async -> Void
    private let followed = Mutex<[RepoName: AsyncStream<Void>.Continuation]>([:])
    private let pending = Mutex<[RepoName]>([])
    /// Wakes the loop that looks for mirrors to follow (a new mirror is followed at once, not at the next rescan).
    private let rescan = Mutex<AsyncStream<Void>.Continuation?>(nil)

    public init(
        sync: MirrorSync, pollInterval: Duration, rescanInterval: Duration = .seconds(5), watcher: (any UpstreamWatcher)?,
        logger: Logger, onSynced: @escaping @Sendable (RepoName, MirrorState) async -> Void = { _, _ in }
    ) {
        self.sync = sync
        self.pollInterval = pollInterval
        self.rescanInterval = rescanInterval
        self.watcher = watcher
        self.logger = logger
        self.onSynced = onSynced
    }

    /// Asks for a sync of `name` soon (starting to follow it if it is a new mirror).
    public func kick(_ name: RepoName) {
        let known = followed.withLock { $0[name]?.yield() != nil }
        guard !known else { return }
        pending.withLock { $0.append(name) }
        _ = rescan.withLock { $0?.yield() }
    }

    /// A sync ran outside the scheduler (an admin command): publish what it moved.
    public func synced(_ name: RepoName) async {
        guard let state = try? sync.files.state(name) else { return }
        await onSynced(name, state)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            self.rescan.withLock { $0 = wake }
            wake.yield()
            await withDiscardingTaskGroup { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: self.rescanInterval)
                        wake.yield()
                    }
                }
                for await _ in wakes {
                    let pending = self.pending.withLock { names in
                        defer { names = [] }
                        return names
                    }
                    for name in Set(self.sync.files.mirrors()).union(pending).sorted() where self.sync.files.isMirror(name) {
                        guard let stream = self.startFollowing(name) else { continue }
                        group.addTask { await self.follow(name, stream) }
                    }
                }
                group.cancelAll()
            }
        }
    }

    /// A new stream of sync requests for `name`, nil when it is already followed. The first request is queued.
    private func startFollowing(_ name: RepoName) -> AsyncStream<Void>? {
        followed.withLock { table in
            guard table[name] == nil else { return nil }
            let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            continuation.yield()
            table[name] = continuation
            return stream
        }
    }

    private func follow(_ name: RepoName, _ stream: AsyncStream<Void>) async {
        defer { _ = followed.withLock { $0.removeValue(forKey: name) }?.finish() }
        let continuation = followed.withLock { $0[name] }
        let upstream = (try? sync.files.spec(name))??.upstream
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.pollInterval)
                    continuation?.yield()
                }
            }
            if let watcher = self.watcher, let upstream {
                group.addTask { await watcher.watch(upstream: upstream) { continuation?.yield() } }
            }
            for await _ in stream {
                guard !Task.isCancelled, self.sync.files.isMirror(name) else { break }
                do {
                    if case .done(let state) = try await self.sync.run(name) {
                        self.log(name, state)
                        await self.onSynced(name, state)
                    }
                } catch {
                    self.logger.warning("mirror sync failed", metadata: ["repo": "\(name)", "error": "\(error)"])
                }
            }
            group.cancelAll()
        }
    }

    private func log(_ name: RepoName, _ state: MirrorState) {
        if let problem = state.problem {
            logger.warning("mirror sync", metadata: ["repo": "\(name)", "problem": "\(problem)"])
        }
        for (ref, entry) in state.refs where entry.result == .refused {
            logger.warning(
                "mirror sync refused", metadata: ["repo": "\(name)", "ref": "\(ref)", "message": "\(entry.message ?? "")"])
        }
    }
}

extension MirrorScheduler {
    /// The scheduler `dehub-host serve` runs: the standard engine and watcher, `mirror_poll_seconds`; after each sync
    /// the host's event stream publishes what moved (so mirrors of this mirror follow at once).
    static func forHost(store: RepoStore, config: HostConfig, events: RefEventHub, logger: Logger) -> MirrorScheduler {
        MirrorScheduler(
            sync: MirrorSync(store: store, engine: MirrorEngines.standard),
            pollInterval: .seconds(config.mirrorPollSeconds), watcher: MirrorEngines.watcher, logger: logger,
            onSynced: { name, _ in await events.refresh(repo: name.path, path: store.path(of: name)) })
    }
}
