import DehubCore
import DehubGit
import DehubSignatures
import NIOPosix
import Synchronization

/// The web view: turns a `WebRoute` into a page. Access is the host's (`WebRepositories`); reading the repository and
/// verifying commits runs on NIO's blocking thread pool, one thread per page, each with its own libgit2 handle.
public final class WebSite: Sendable {
    public let verdicts: WebVerdictStore
    public let limits: WebLimits
    let signatures: SignatureVerifying
    /// The project (root commit) of each history a page verified, by repository and anchor: bound credentials name it
    /// (format §6.7), and working it out walks the whole history, so it is done once per branch tip, not per request.
    private let projects = Mutex<[String: ProjectScope]>([:])

    /// `verdictDirectory`: where the verdict caches live (the host's data directory).
    public init(
        verdictDirectory: String, limits: WebLimits = WebLimits(), signatures: SignatureVerifying = SignatureVerifier.shared
    ) {
        self.verdicts = WebVerdictStore(directory: verdictDirectory)
        self.limits = limits
        self.signatures = signatures
    }

    /// The answer to `route`; `prefix` is `/auth` when the request came under the authenticated prefix (links keep it).
    public func respond(_ route: WebRoute, repositories: some WebRepositories, prefix: String = "") async -> WebResponse {
        do {
            switch route {
            case .stylesheet:
                return WebResponse(
                    status: 200, contentType: "text/css; charset=utf-8", body: Array(WebStylesheet.css.utf8),
                    extraHeaders: [("Cache-Control", "public, max-age=300")])
            case .methodNotAllowed:
                throw WebPageError(status: 405, message: "Only GET and HEAD are served here.")
            case .badPath(let why):
                throw WebPageError(status: 404, message: "Not found: \(why).")
            case .home:
                let visible = await repositories.visible()
                let body = try await blocking { try self.home(visible, prefix: prefix) }
                return page(title: "Repositories", body: body, prefix: prefix, repository: nil)
            case .repository(let name), .log(let name, _, _), .threads(let name), .commit(let name, _, _),
                .tree(let name, _, _), .blob(let name, _, _), .raw(let name, _, _):
                guard let repository = await repositories.open(name) else { throw WebPageError.notFound("Repository not found.") }
                let paths = WebPath(prefix: prefix, repository: repository.name)
                if case .raw(_, let revision, let path) = route {
                    return try await blocking { try self.raw(repository, revision: revision, path: path) }
                }
                let (title, body) = try await blocking { () throws -> (String, String) in
                    let repo = try GitRepository.open(path: repository.path)
                    let context = PageContext(repository: repository, paths: paths, repo: repo)
                    switch route {
                    case .log(_, let branch, let from): return try self.log(context, branch: branch, from: from)
                    case .threads: return try self.threads(context)
                    case .commit(_, let id, let branch): return try self.commit(context, id: id, branch: branch)
                    case .tree(_, let revision, let path): return try self.tree(context, revision: revision, path: path)
                    case .blob(_, let revision, let path): return try self.blob(context, revision: revision, path: path)
                    default: return try self.repositoryPage(context)
                    }
                }
                return page(title: title, body: body, prefix: prefix, repository: paths)
            }
        } catch let error as WebPageError {
            return errorPage(error, prefix: prefix)
        } catch {
            return errorPage(WebPageError(status: 500, message: "This page could not be made: \(error)"), prefix: prefix)
        }
    }

    /// What a page builder works with.
    struct PageContext {
        var repository: WebRepository
        var paths: WebPath
        var repo: GitRepository
    }

    // MARK: - layout

    struct RepoNav {
        var name: String
        var page: String
        var log: String
        var threads: String
        var tree: String
    }

    struct Layout {
        var title: String
        var stylesheet: String
        var home: String
        var repo: RepoNav?
        var body: String
    }

    func page(title: String, body: String, prefix: String, repository: WebPath?, status: Int = 200) -> WebResponse {
        let nav = repository.map {
            RepoNav(name: $0.repository, page: $0.page, log: $0.log("main"), threads: $0.threads, tree: $0.tree("main"))
        }
        let layout = Layout(
            title: title + " · dehub", stylesheet: prefix + "/static/style.css", home: prefix + "/", repo: nav, body: body)
        return WebResponse(
            status: status, contentType: "text/html; charset=utf-8", body: Array(WebTemplates.render(layout, "layout").utf8),
            extraHeaders: [("Cache-Control", "no-cache")])
    }

    struct ErrorModel {
        var status: String
        var message: String
    }

    func errorPage(_ error: WebPageError, prefix: String) -> WebResponse {
        let title = error.status == 404 ? "Not found" : error.status == 405 ? "Method not allowed" : "Error \(error.status)"
        let body = WebTemplates.render(ErrorModel(status: title, message: error.message), "error")
        var response = page(title: title, body: body, prefix: prefix, repository: nil, status: error.status)
        if error.status == 405 { response.headers.append((name: "Allow", value: "GET, HEAD")) }
        return response
    }

    // MARK: - helpers shared by the pages

    /// Runs blocking work (libgit2, signature checks) on NIO's thread pool.
    func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    /// A branch, a tag or a full commit id, to a commit; never a rev-parse expression (no unbounded searches).
    func resolve(_ revision: String, in repo: GitRepository) throws -> ObjectID {
        if ObjectID(hex: revision) != nil { return try commit(revision, in: repo).id }
        for prefix in ["refs/heads/", "refs/tags/"] {
            if let id = try? repo.reference(prefix + revision) { return id }
        }
        throw WebPageError.notFound("No branch, tag or commit named \(revision).")
    }

    /// The commit a full id names; a 404 that says so when the id is malformed or no commit of the repository.
    func commit(_ hex: String, in repo: GitRepository) throws -> (id: ObjectID, info: CommitInfo) {
        guard let id = ObjectID(hex: hex), let info = try? repo.commit(id) else {
            throw WebPageError.notFound("No commit \(hex).")
        }
        return (id, info)
    }

    /// What `path` names in the tree of `revision` (see `resolve`; the tree itself for an empty path); nil when nothing.
    func entry(_ path: String, at revision: String, in repo: GitRepository) throws -> (
        id: ObjectID, kind: TreeListingEntry.Kind
    )? {
        try repo.entry(at: path, inTree: try repo.tree(ofCommit: try resolve(revision, in: repo)))
    }

    /// A verifier for the commits of one history (the project worked out once, from `anchor`), with the cache.
    func verifier(_ context: PageContext, anchor: ObjectID) -> (CommitVerifier, VerdictCache) {
        let cache = verdicts.cache(context.repository.name)
        let key = context.repository.name + "\u{0}" + anchor.hex
        let project = projects.withLock { scopes -> ProjectScope in
            if let known = scopes[key] { return known }
            if scopes.count >= 256 { scopes.removeAll() }
            let scope = ProjectScope(anchor: anchor)
            scopes[key] = scope
            return scope
        }
        let verifier = CommitVerifier(repository: context.repo, signatures: signatures, project: project, cache: cache)
        return (verifier, cache)
    }

    static func payload(_ message: String) -> Payload? {
        try? CommitMessage.parse(message).payload
    }

    static func typeName(_ payload: Payload?) -> String {
        payload?.type.rawValue ?? "not dehub"
    }

    static func person(_ person: GitPerson) -> String {
        person.name.isEmpty ? person.email : person.name
    }
}
