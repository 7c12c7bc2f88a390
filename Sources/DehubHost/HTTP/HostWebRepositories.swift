import DehubWeb

/// The web view's access port, answered by the host's access gate with the rules of a fetch over smart HTTP: public
/// repositories to anyone, private ones to admins, readers and members (a token's key over HTTP), and "not found" to
/// everyone else, exactly like a repository that does not exist.
struct HostWebRepositories: WebRepositories {
    let services: HostServices
    let identity: Identity

    func visible() async -> [WebRepository] {
        var found: [WebRepository] = []
        for name in services.gate.store.list() where await services.gate.canSee(identity, name) {
            found.append(repository(name, path: services.gate.store.path(of: name)))
        }
        return found
    }

    func open(_ rawName: String) async -> WebRepository? {
        // A web page never names a repository with `.git`: that namespace is git's (and the event stream's).
        guard !rawName.hasSuffix(".git") else { return nil }
        switch await services.gate.authorize(identity, rawName: rawName, service: .uploadPack, transport: .http) {
        case .success(let grant): return repository(grant.name, path: grant.path)
        case .failure: return nil
        }
    }

    /// With its lineage as `repos.json` states it (`RepoDirectory`): the upstream of a mirror, the parents of a fork.
    private func repository(_ name: RepoName, path: String) -> WebRepository {
        let lineage = (try? LineageStore.load(atRepo: path)) ?? ProjectLineage()
        return WebRepository(
            name: name.path, path: path, cloneHTTP: services.urls.http(name), cloneSSH: services.urls.ssh(name),
            mirrorOf: lineage.mirrorOf ?? MirrorFiles.upstream(atRepo: path).map(UpstreamURL.redacted),
            forkedFrom: lineage.forkedFrom.map { "\($0.url) (\($0.at))" })
    }
}
