import ServiceLifecycle

/// The hub's upkeep as a service of the host's lifecycle: keep-alives, the reconciliation scan, and on shutdown
/// the end of every stream (listed after the listeners, it is shut down before them, so that they wait for no
/// watcher).
public struct RefEventService: Service {
    let hub: RefEventHub
    let store: RepoStore

    public init(hub: RefEventHub, store: RepoStore) {
        self.hub = hub
        self.store = store
    }

    public func run() async throws {
        let hub = self.hub
        let store = self.store
        let settings = hub.settings
        try? await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(settings.keepAliveSeconds))
                        hub.tick()
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(settings.scanIntervalSeconds))
                        guard !Task.isCancelled else { return }
                        await hub.scan { name in
                            guard let repo = RepoName.validated(name), store.exists(repo) else { return nil }
                            return store.path(of: repo)
                        }
                    }
                }
            }
        }
        hub.shutDown()
    }
}
