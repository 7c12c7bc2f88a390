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
}
