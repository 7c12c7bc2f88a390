/// Facts about the requester relative to one repository, gathered before any rule runs.
public struct RequesterFacts: Equatable, Sendable {
    public var isAuthenticated: Bool
    public var isAdmin: Bool
    /// Listed as a reader of the repository (`readers` file of the repo).
    public var isReader: Bool
    /// Listed as an `ssh_public_key` signifier in the repository's config on `main`.
    public var isMember: Bool
    /// Another node of the cluster, replicating (its node token verified): reads everything, pushes nothing.
    public var isClusterNode = false

    public init(isAuthenticated: Bool, isAdmin: Bool = false, isReader: Bool = false, isMember: Bool = false) {
        self.isAuthenticated = isAuthenticated
        self.isAdmin = isAdmin
        self.isReader = isReader
        self.isMember = isMember
    }

    public static let anonymous = RequesterFacts(isAuthenticated: false)

    /// A cluster node replicating.
    public static var clusterNode: RequesterFacts {
        var facts = RequesterFacts(isAuthenticated: true)
        facts.isClusterNode = true
        return facts
    }
}

/// Facts about the repository, gathered before any rule runs.
public struct RepoFacts: Equatable, Sendable {
    public var exists: Bool
    public var isPrivate: Bool
    public var mainExists: Bool
    /// The upstream a read-only mirror follows (its URL without user information); nil for other repositories.
    public var mirrorOf: String?

    public init(exists: Bool, isPrivate: Bool = false, mainExists: Bool = true, mirrorOf: String? = nil) {
        self.exists = exists
        self.isPrivate = isPrivate
        self.mainExists = mainExists
        self.mirrorOf = mirrorOf
    }

    public static let missing = RepoFacts(exists: false, isPrivate: false, mainExists: false)
}

/// Why access was refused. Transports turn these into their own answers.
public enum AccessDenial: Error, Equatable, Sendable {
    /// The repository does not exist, its name is invalid, or the requester may not see it.
    case notFound
    /// Like `notFound`, but the requester is anonymous and credentials might help (HTTP answers 401).
    case authenticationRequired
    /// `main` does not exist yet: the root of trust may only be pushed by an admin over SSH.
    case firstPushNeedsAdminOverSSH
    /// `--push members`: the requester is neither an admin nor a member.
    case pushNeedsMembership
    /// An admin command from someone who is not an admin.
    case adminOnly
    /// A push to a read-only mirror (its upstream's URL).
    case readOnlyMirror(upstream: String)
    /// A push with a cluster node's replication token: nodes replicate by reading, and move refs only through the store.
    case clusterNodeReadsOnly

    /// The text the client sees.
    public var message: String {
        switch self {
        case .notFound, .authenticationRequired:
            "repository not found"
        case .firstPushNeedsAdminOverSSH:
            "this repository has no main branch yet: the first push (the root of trust) must come from an admin over SSH"
        case .pushNeedsMembership:
            "pushes to this host are limited to admins and the repository's members (ssh_public_key signifiers in .dehub/config.yml on main)"
        case .adminOnly:
            "permission denied: this command needs an admin key"
        case .readOnlyMirror(let upstream):
            "read-only mirror of \(upstream); push there"
        case .clusterNodeReadsOnly:
            "a cluster node's replication token only reads: pushes come from users, through any node"
        }
    }
}

/// The host's answer to one request (not to be confused with DehubCore's `AccessDecision`, the verdict of a
/// config's access controls on a commit).
public enum HostAccessDecision: Equatable, Sendable {
    case allow
    case deny(AccessDenial)
}

/// Who may read, push and administer: pure functions of the facts, one per question.
public enum AccessPolicy {
    /// A repository is visible when it exists and is public, or the requester is an admin,
    /// a listed reader or a member.
    public static func canSee(_ requester: RequesterFacts, _ repo: RepoFacts) -> Bool {
        guard repo.exists else { return false }
        return !repo.isPrivate || requester.isClusterNode || requester.isAdmin || requester.isReader || requester.isMember
    }

    /// Fetch, clone, ls-remote, archive.
    public static func decideRead(_ requester: RequesterFacts, _ repo: RepoFacts) -> HostAccessDecision {
        canSee(requester, repo) ? .allow : .deny(invisible(requester))
    }

    /// `git push`. One must see a repository to push to it; a mirror takes no push from anyone (its refs move only
    /// by a verified sync); the first push to a repository without
    /// `main` is the root of trust and is taken only from an admin over SSH; `--push members`
    /// limits pushes to admins and members. Everything else is left to the dehub hook.
    public static func decidePush(
        _ requester: RequesterFacts, _ repo: RepoFacts, transport: Transport, policy: PushPolicy
    ) -> HostAccessDecision {
        if requester.isClusterNode { return .deny(.clusterNodeReadsOnly) }
        guard canSee(requester, repo) else { return .deny(invisible(requester)) }
        if let upstream = repo.mirrorOf { return .deny(.readOnlyMirror(upstream: upstream)) }
        if !repo.mainExists {
            return requester.isAdmin && transport == .ssh ? .allow : .deny(.firstPushNeedsAdminOverSSH)
        }
        switch policy {
        case .open:
            return .allow
        case .members:
            if requester.isAdmin || requester.isMember { return .allow }
            return .deny(requester.isAuthenticated ? .pushNeedsMembership : .authenticationRequired)
        }
    }

    /// `repo create|list|delete` and the other admin commands (`whoami` is open to everyone).
    public static func decideAdministration(_ requester: RequesterFacts) -> HostAccessDecision {
        requester.isAdmin && !requester.isClusterNode ? .allow : .deny(.adminOnly)
    }

    private static func invisible(_ requester: RequesterFacts) -> AccessDenial {
        requester.isAuthenticated ? .notFound : .authenticationRequired
    }
}
