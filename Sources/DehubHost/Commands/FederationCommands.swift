/// What `repo fork` and `mirror ...` do and print, the same over SSH and on the server's command line.
public struct FederationCommands: Sendable {
    public let store: RepoStore
    public let config: HostConfig
    public let urls: CloneURLs
    public let engine: any MirrorEngine
    /// How long `mirror sync` waits for a sync of the same mirror that is already running.
    public static let syncWait: Duration = .seconds(120)

    public init(store: RepoStore, config: HostConfig, urls: CloneURLs, engine: any MirrorEngine = MirrorEngines.standard) {
        self.store = store
        self.config = config
        self.urls = urls
        self.engine = engine
    }

    public func fork(_ source: RepoName, to destination: RepoName, isPrivate: Bool, newRoot: Bool) async throws -> String {
        let result = try await RepoForker(store: store, config: config).fork(
            source, to: destination, sourceURL: urls.http(source), isPrivate: isPrivate, newRoot: newRoot)
        var text = "forked \(source) to \(destination)\(result.isPrivate ? " (private)" : "")\n"
        if let parent = result.lineage.forkedFrom.first { text += "  forked from \(parent.id ?? "?") (\(parent.url))\n" }
        if newRoot {
            text += "  \(destination) is empty: push its new root commit (the fork's root of trust) as an admin over SSH\n"
        }
        if !urls.sshBase.isEmpty { text += "  \(urls.ssh(destination))\n" }
        if !urls.httpBase.isEmpty { text += "  \(urls.http(destination))\n" }
        return text
    }

    public func addMirror(_ name: RepoName, from upstream: String, root: String?, isPrivate: Bool) async throws -> String {
        let spec = try await MirrorRegistry(store: store).add(
            name, from: upstream, root: root, isPrivate: isPrivate, config: config)
        var text = "\(name) is a read-only mirror of \(UpstreamURL.redacted(spec.upstream))\n"
        text += try await sync(name)
        return text
    }

    public func sync(_ name: RepoName) async throws -> String {
        switch try await MirrorSync(store: store, engine: engine).run(name, wait: Self.syncWait) {
        case .busy: return "\(name): a sync is already running; see `mirror status`\n"
        case .done: return try status([name], json: false)
        }
    }

    public func status(_ names: [RepoName]? = nil, json: Bool) throws -> String {
        let statuses = try MirrorRegistry(store: store).status(names)
        return json ? try MirrorStatusText.json(statuses) : MirrorStatusText.human(statuses)
    }
}
