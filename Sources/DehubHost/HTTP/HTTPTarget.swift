/// What an HTTP request asks for, and whether it asked under the authenticated prefix.
///
/// git sends credentials only after a `401`, and a public repository never answers one, so a token in the URL
/// of a public repository would never be sent. Under `/auth/` every request without valid credentials gets
/// `401` with a Basic challenge, so git sends the token and the request runs with the token's identity:
/// `git push http://x:TOKEN@HOST/auth/demo.git :idea`. The rest of the path is routed as without the prefix
/// (`HTTPRoute`); a repository whose name starts with `auth/` is therefore reached over HTTP only with
/// credentials, under `/auth/auth/...`.
public struct HTTPTarget: Equatable, Sendable {
    public var route: HTTPRoute
    public var credentialsRequired: Bool

    public static let authenticatedPrefix = "/auth"

    public init(route: HTTPRoute, credentialsRequired: Bool) {
        self.route = route
        self.credentialsRequired = credentialsRequired
    }

    public static func parse(method: String, path: String, query: String?) -> HTTPTarget {
        if path == authenticatedPrefix || path.hasPrefix(authenticatedPrefix + "/") {
            let rest = String(path.dropFirst(authenticatedPrefix.count))
            return HTTPTarget(
                route: HTTPRoute.parse(method: method, path: rest.isEmpty ? "/" : rest, query: query),
                credentialsRequired: true)
        }
        return HTTPTarget(route: HTTPRoute.parse(method: method, path: path, query: query), credentialsRequired: false)
    }
}
