/// The git services a client may run on the host, and nothing else.
public enum GitService: String, Sendable, CaseIterable {
    case uploadPack = "git-upload-pack"
    case receivePack = "git-receive-pack"
    case uploadArchive = "git-upload-archive"

    /// The `git` subcommand: `upload-pack`, `receive-pack`, `upload-archive`.
    public var subcommand: String { String(rawValue.dropFirst(4)) }

    /// Whether the service writes to the repository.
    public var isPush: Bool { self == .receivePack }

    /// Services reachable over smart HTTP.
    public static let http: [GitService] = [.uploadPack, .receivePack]

    /// Settings the host gives the service on its command line (`git -c KEY=VALUE ... SUBCOMMAND`), the same on
    /// every transport and protocol version, so that no repository's own config can switch them off.
    ///
    /// - `uploadpack.allowFilter`: partial clones (`git clone --filter=blob:none`).
    /// - `uploadpack.allowAnySHA1InWant`: the lazy fetches of a partial clone ask for blobs by id, which protocol
    ///   v0/v1 refuses unless they are advertised ("Server does not allow request for unadvertised object").
    ///   Protocol v2 already serves any object the repository holds to anyone who may read it, so this gives v0/v1
    ///   nothing v2 does not; `allowReachableSHA1InWant` would instead make every such fetch walk the history
    ///   (a cost any reader could make the host pay) to protect nothing v2 protects.
    /// - `receive.advertisePushOptions`: `git push -o ...`; git hands them to the hook as
    ///   `GIT_PUSH_OPTION_COUNT` and `GIT_PUSH_OPTION_<n>`.
    public var serverConfiguration: [String] {
        switch self {
        case .uploadPack:
            ["-c", "uploadpack.allowFilter=true", "-c", "uploadpack.allowAnySHA1InWant=true"]
        case .receivePack:
            ["-c", "receive.advertisePushOptions=true"]
        case .uploadArchive:
            []
        }
    }
}
