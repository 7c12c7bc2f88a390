import DehubCore

/// Gathers the facts for one request (who is asking, what the repo is), then asks `AccessPolicy`.
/// The same gate serves the embedded SSH server, smart HTTP and the OpenSSH mode.
public struct AccessGate: Sendable {
    public let data: DataDirectory
    public let store: RepoStore
    public let config: HostConfig
    /// Members' keys per repository, cached by `main`'s commit (shared by every copy of this gate).
    public let members: MemberKeysCache

    public init(data: DataDirectory, config: HostConfig, members: MemberKeysCache = MemberKeysCache()) {
        self.data = data
        self.store = RepoStore(data: data)
        self.config = config
        self.members = members
    }

    public struct Grant: Sendable, Equatable {
        public let name: RepoName
        public let path: String
        /// For pushes: who pushes, as the hook reads it (DehubCore's `PusherRole`, the contract between the two).
        public var pusherRole: PusherRole? = nil
        /// An admin, or a member or reader of this repository: may take the reserved git slots, served first.
        public var isPrivileged = false

        /// `base` plus what the hook must know of this grant.
        public func gitEnvironment(_ base: [String: String]) -> [String: String] {
            var environment = base
            if let pusherRole { environment[PusherRole.environmentVariable] = pusherRole.rawValue }
            return environment
        }
    }

    /// Decides whether `identity` may run `service` on the repository named `rawName` (as sent).
    public func authorize(
        _ identity: Identity, rawName: String, service: GitService, transport: Transport
    ) async -> Result<Grant, AccessDenial> {
        let anonymousDenial: AccessDenial = identity.isAuthenticated ? .notFound : .authenticationRequired
        guard let name = RepoName.validated(rawName) else { return .failure(anonymousDenial) }
        let repo = store.facts(name)
        let requester = await requesterFacts(identity, name: name, repo: repo, needsMembership: true)
        let decision =
            service.isPush
            ? AccessPolicy.decidePush(requester, repo, transport: transport, policy: config.pushPolicy)
            : AccessPolicy.decideRead(requester, repo)
        switch decision {
        case .allow:
            var grant = Grant(name: name, path: store.path(of: name))
            grant.isPrivileged = requester.isAdmin || requester.isMember || requester.isReader || requester.isClusterNode
            if service.isPush { grant.pusherRole = requester.isAdmin ? .admin : requester.isMember ? .member : .other }
            return .success(grant)
        case .deny(let denial): return .failure(denial)
        }
    }

    /// Whether `identity` may see `name` (for `repo list` and `GET /`).
    public func canSee(_ identity: Identity, _ name: RepoName) async -> Bool {
        let repo = store.facts(name)
        return AccessPolicy.canSee(await requesterFacts(identity, name: name, repo: repo, needsMembership: false), repo)
    }

    public func isAdmin(_ identity: Identity) -> Bool {
        guard let key = identity.key else { return false }
        return data.admins().contains(key)
    }

    /// Membership costs a `git show` when `main` changed since the last look (`MemberKeysCache`), so it is
    /// looked up only when something depends on it: the visibility of a private repo, the pusher's role, and
    /// the share of git slots (members are served first).
    func requesterFacts(_ identity: Identity, name: RepoName, repo: RepoFacts, needsMembership: Bool) async -> RequesterFacts {
        if identity.clusterNode != nil { return .clusterNode }
        guard let key = identity.key else { return .anonymous }
        var facts = RequesterFacts(isAuthenticated: true, isAdmin: isAdmin(identity))
        guard repo.exists, !facts.isAdmin else { return facts }
        facts.isReader = store.readers(of: name).contains(key)
        // Pushers' membership also decides who may delete branches (the hook's DEHUB_PUSHER_ROLE), so it is
        // looked up for every push.
        let membershipMatters = (repo.isPrivate && !facts.isReader) || needsMembership
        if membershipMatters {
            facts.isMember = await members.keys(repoPath: store.path(of: name)).contains(key)
        }
        return facts
    }
}
