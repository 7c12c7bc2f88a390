/// A repository the requester may read: where it is and how to clone it.
public struct WebRepository: Sendable, Equatable {
    /// The name without `.git` (`team/project`).
    public var name: String
    /// The bare repository's directory.
    public var path: String
    public var cloneHTTP: String
    public var cloneSSH: String
    /// The upstream this repository mirrors (the host's statement, as in `repos.json`), if it is a mirror.
    public var mirrorOf: String?
    /// The projects it was forked from: where each was served from and when.
    public var forkedFrom: [String]

    public init(
        name: String, path: String, cloneHTTP: String, cloneSSH: String, mirrorOf: String? = nil, forkedFrom: [String] = []
    ) {
        self.name = name
        self.path = path
        self.cloneHTTP = cloneHTTP
        self.cloneSSH = cloneSSH
        self.mirrorOf = mirrorOf
        self.forkedFrom = forkedFrom
    }
}

/// The port through which the web view learns which repositories a request may see. The host implements it with
/// its access gate (the same rules as a fetch over smart HTTP, tokens included); the web view never decides access.
public protocol WebRepositories: Sendable {
    /// Every repository the requester may see, sorted by name.
    func visible() async -> [WebRepository]
    /// The repository named `rawName` (as it appears in the URL) when the requester may read it; nil otherwise,
    /// which the page answers as "not found", the same answer as for a repository that does not exist.
    func open(_ rawName: String) async -> WebRepository?
}
