import Testing

@testable import DehubWeb

/// The web view's routes, and the paths it leaves to smart HTTP, the event stream and the federation documents.
@Suite("Web routes")
struct WebRouteTests {
    @Test(
        "pages",
        arguments: [
            ("/", WebRoute.home),
            ("/static/style.css", .stylesheet),
            ("/demo", .repository(name: "demo")),
            ("/demo/", .repository(name: "demo")),
            ("/team/project", .repository(name: "team/project")),
            ("/demo/log/main", .log(name: "demo", branch: "main", from: nil)),
            ("/demo/log/feature/x", .log(name: "demo", branch: "feature/x", from: nil)),
            ("/demo/log/feature%2Fx", .log(name: "demo", branch: "feature/x", from: nil)),
            ("/team/project/threads", .threads(name: "team/project")),
            (
                "/demo/commit/0123456789abcdef0123456789abcdef01234567",
                .commit(name: "demo", id: "0123456789abcdef0123456789abcdef01234567", branch: nil)
            ),
            ("/demo/tree/main", .tree(name: "demo", revision: "main", path: "")),
            ("/demo/tree/main/", .tree(name: "demo", revision: "main", path: "")),
            ("/demo/tree/main/a/b", .tree(name: "demo", revision: "main", path: "a/b")),
            ("/demo/blob/main/a%20b/%22%3E%3Cimg%3E", .blob(name: "demo", revision: "main", path: "a b/\"><img>")),
            ("/demo/raw/v1.0/README.md", .raw(name: "demo", revision: "v1.0", path: "README.md")),
        ])
    func pages(path: String, route: WebRoute) {
        #expect(WebRoute.parse(method: "GET", path: path, query: nil) == route)
    }

    @Test(
        "paths that are not the web view's",
        arguments: [
            "/demo.git/info/refs", "/demo/info/refs", "/demo.git/git-upload-pack", "/demo/git-receive-pack",
            "/demo.git/dehub/events", "/dehub/events", "/.well-known/dehub/repos.json", "/demo.git/HEAD",
            "/demo.git/objects/info/packs", "/team/x.git/log/main", "/demo/%2e%2e", "relative",
        ])
    func notPages(path: String) {
        #expect(WebRoute.parse(method: "GET", path: path, query: nil) == nil)
    }

    @Test(
        "refused page paths",
        arguments: [
            "/demo/blob/main/../x", "/demo/blob/main/a/./b", "/demo/blob/main//etc/passwd", "/demo/blob/main/%2Fetc",
            "/demo/blob/main/a%2Fb", "/demo/blob/main/%zz", "/demo/blob/main", "/demo/raw/main/", "/demo/commit/HEAD",
            "/demo/commit/0123", "/demo/log/", "/demo/log/-x", "/demo/log/a..b", "/demo/tree/HEAD~1",
            "/demo/tree/main%3A", "/static/x.js", "/demo/threads/x",
        ])
    func refused(path: String) {
        guard case .badPath? = WebRoute.parse(method: "GET", path: path, query: nil) else {
            Issue.record("\(path) was not refused: \(String(describing: WebRoute.parse(method: "GET", path: path, query: nil)))")
            return
        }
    }

    @Test("?branch= on a commit page")
    func commitBranch() {
        let id = "0123456789abcdef0123456789abcdef01234567"
        #expect(
            WebRoute.parse(method: "GET", path: "/demo/commit/" + id, query: "branch=feature%2Fx")
                == .commit(name: "demo", id: id, branch: "feature/x"))
        guard case .badPath? = WebRoute.parse(method: "GET", path: "/demo/commit/" + id, query: "branch=a..b") else {
            Issue.record("branch=a..b was not refused")
            return
        }
    }

    @Test("only GET and HEAD")
    func methods() {
        #expect(WebRoute.parse(method: "HEAD", path: "/demo", query: nil) == .repository(name: "demo"))
        #expect(WebRoute.parse(method: "POST", path: "/demo", query: nil) == .methodNotAllowed)
        #expect(WebRoute.parse(method: "POST", path: "/demo.git/git-upload-pack", query: nil) == nil)
    }

    @Test("?from= must be a full commit id")
    func from() {
        let id = "0123456789abcdef0123456789abcdef01234567"
        #expect(
            WebRoute.parse(method: "GET", path: "/demo/log/main", query: "from=" + id)
                == .log(name: "demo", branch: "main", from: id))
        guard case .badPath? = WebRoute.parse(method: "GET", path: "/demo/log/main", query: "from=HEAD") else {
            Issue.record("from=HEAD was not refused")
            return
        }
    }

    @Test("links percent-encode what comes from a repository")
    func links() {
        let paths = WebPath(prefix: "/auth", repository: "demo")
        #expect(paths.blob("main", "a b/\"><img>") == "/auth/demo/blob/main/a%20b/%22%3E%3Cimg%3E")
        #expect(paths.log("feature/x") == "/auth/demo/log/feature/x")
        #expect(paths.tree("release/1") == "/auth/demo/tree/release%2F1")
    }
}
