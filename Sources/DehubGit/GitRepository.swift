import CGit2
import DehubCore

/// A git repository read and written through libgit2.
///
/// Not thread-safe: use one instance per thread (libgit2 repository handles are not shareable).
/// Every libgit2 object is freed before the call that made it returns, apart from the handles this
/// instance owns (repository, object database, a small tree cache), which `deinit` frees.
public final class GitRepository {
    let handle: OpaquePointer
    let odb: OpaquePointer
    /// Recently used trees, so that walking thousands of commits does not parse the same tree again
    /// (libgit2's own cache skips trees larger than 4 KiB).
    let trees = TreeCache(capacity: 64)
    /// Configuration as git would see it (honours GIT_CONFIG_GLOBAL / GIT_CONFIG_SYSTEM / GIT_CONFIG_NOSYSTEM).
    let config: OpaquePointer

    /// The git directory (`.git`, or the repository itself when bare), without a trailing slash.
    public let gitDirectory: String
    /// The root of the work tree, without a trailing slash; nil for a bare repository.
    public let workingDirectory: String?
    public let isBare: Bool
    /// The largest commit object this handle reads (headers and message); larger ones are refused from their
    /// header, before they are inflated. The default is the format's largest message (1 MiB) plus room for headers:
    /// no larger commit can verify.
    public var maxCommitObjectBytes = GitRepository.defaultMaxCommitObjectBytes
    public static let commitHeaderAllowance = 64 << 10
    public static let defaultMaxCommitObjectBytes = PayloadLimits.default.maxMessageBytes + commitHeaderAllowance

    private init(taking handle: OpaquePointer) throws {
        var odb: OpaquePointer?
        if git_repository_odb(&odb, handle) < 0 || odb == nil {
            let error = GitError.libgit2(-1, "cannot open the object database")
            git_repository_free(handle)
            throw error
        }
        let config: OpaquePointer
        do {
            config = try GitConfigLoader.load(for: handle)
        } catch {
            git_odb_free(odb)
            git_repository_free(handle)
            throw error
        }
        self.handle = handle
        self.odb = odb!
        self.config = config
        self.gitDirectory = GitRepository.trimmedPath(git_repository_path(handle)) ?? ""
        self.workingDirectory = GitRepository.trimmedPath(git_repository_workdir(handle))
        self.isBare = git_repository_is_bare(handle) == 1
    }

    deinit {
        trees.removeAll()
        git_config_free(config)
        git_odb_free(odb)
        git_repository_free(handle)
    }

    /// Opens the repository containing `path`, searching upward like `git -C path`.
    public static func open(path: String) throws -> GitRepository {
        try LibGit2.ensureInitialized()
        let path = try cSafe(path, "repository path")
        var repo: OpaquePointer?
        try check(git_repository_open_ext(&repo, path, 0, nil), "cannot open a git repository at '\(path)'")
        guard let repo else { throw GitError("cannot open a git repository at '\(path)'") }
        return try GitRepository(taking: repo)
    }

    /// Opens the repository the way git's own hooks see it: from GIT_DIR, GIT_OBJECT_DIRECTORY,
    /// GIT_ALTERNATE_OBJECT_DIRECTORIES (so a pre-receive hook sees the quarantined objects),
    /// GIT_CEILING_DIRECTORIES and the current directory. Works without HOME.
    public static func openFromEnvironment() throws -> GitRepository {
        try LibGit2.ensureInitialized()
        var repo: OpaquePointer?
        try check(
            git_repository_open_ext(&repo, nil, GIT_REPOSITORY_OPEN_FROM_ENV.rawValue, nil),
            "cannot open the git repository named by the environment")
        guard let repo else { throw GitError("cannot open the git repository named by the environment") }
        return try GitRepository(taking: repo)
    }

    /// Creates a repository (and missing parent directories) whose HEAD points at `refs/heads/main`.
    /// Opening an existing repository this way leaves it as it is.
    public static func initialize(path: String, bare: Bool) throws -> GitRepository {
        try LibGit2.ensureInitialized()
        let path = try cSafe(path, "repository path")
        var options = git_repository_init_options()
        try check(
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
            "cannot prepare repository options")
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue
        if bare { options.flags |= GIT_REPOSITORY_INIT_BARE.rawValue }
        var repo: OpaquePointer?
        let code = "main".withCString { head -> Int32 in
            options.initial_head = head
            return git_repository_init_ext(&repo, path, &options)
        }
        try check(code, "cannot create a git repository at '\(path)'")
        guard let repo else { throw GitError("cannot create a git repository at '\(path)'") }
        return try GitRepository(taking: repo)
    }

    static func trimmedPath(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        var path = String(cString: pointer)
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
