/// What an HTTP request asks for. A pure parse of method, path and query; names are validated later
/// by `RepoName.parse` (through the access gate), so every bad name ends as "repository not found".
public enum HTTPRoute: Equatable, Sendable {
    /// `GET /`: the list of public repositories.
    case index
    /// `GET /.well-known/dehub/repos.json`: the host's directory (`RepoDirectory`).
    case directory
    /// `GET /NAME.git/info/refs?service=git-upload-pack|git-receive-pack`
    case advertisement(rawName: String, GitService)
    /// `POST /NAME.git/git-upload-pack|git-receive-pack`
    case rpc(rawName: String, GitService)
    /// `GET /NAME.git/info/refs` without a service (dumb HTTP), or another dumb-protocol file.
    case dumb
    /// `GET /NAME.git/dehub/events`, `GET /dehub/events?repo=A&repo=B`: the event stream (`EventStreamResponder`).
    case events(rawNames: [String])
    case notFound
    case methodNotAllowed

    public static let maxPathLength = 512

    public static func parse(method: String, path: String, query: String?) -> HTTPRoute {
        guard path.utf8.count <= maxPathLength, path.hasPrefix("/"), !path.contains("%") else { return .notFound }
        if path == "/" { return method == "GET" || method == "HEAD" ? .index : .methodNotAllowed }
        if path == RepoDirectory.path { return method == "GET" || method == "HEAD" ? .directory : .methodNotAllowed }
        let rest = String(path.dropFirst())
        if let events = eventsRoute(method: method, rest: rest, query: query) { return events }
        if let name = strip(rest, suffix: "/info/refs") {
            guard method == "GET" else { return .methodNotAllowed }
            switch serviceParameter(query) {
            case .absent: return .dumb
            case .invalid: return .notFound
            case .service(let service): return .advertisement(rawName: name, service)
            }
        }
        for service in GitService.http {
            if let name = strip(rest, suffix: "/" + service.rawValue) {
                guard method == "POST" else { return .methodNotAllowed }
                return .rpc(rawName: name, service)
            }
        }
        if rest.contains("/objects/") || rest.hasSuffix("/HEAD") { return .dumb }
        return .notFound
    }

    static func strip(_ path: String, suffix: String) -> String? {
        guard path.hasSuffix(suffix), path.count > suffix.count else { return nil }
        return String(path.dropLast(suffix.count))
    }

    enum ServiceParameter: Equatable { case absent, invalid, service(GitService) }

    /// The `service` query parameter: absent, or exactly once with an HTTP service.
    static func serviceParameter(_ query: String?) -> ServiceParameter {
        let values = (query ?? "").split(separator: "&").compactMap { pair -> Substring? in
            pair.hasPrefix("service=") ? pair.dropFirst("service=".count) : nil
        }
        guard !values.isEmpty else { return .absent }
        guard values.count == 1, let value = values.first, let service = GitService(rawValue: String(value)),
            GitService.http.contains(service)
        else { return .invalid }
        return .service(service)
    }
}
