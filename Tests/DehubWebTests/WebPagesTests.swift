import DehubTestSupport
import Foundation
import Testing

@testable import DehubWeb

/// Every page of the web view against a fixture repository with a signed history (`WebFixture`), rendered by
/// `WebSite` through its access port, as the host calls it.
@Suite("Web pages", .serialized)
struct WebPagesTests {
    static let fixture = Result { try WebFixture() }

    let fixture: WebFixture
    let site: WebSite
    let verdictDirectory: TemporaryDirectory
    let repositories: FixedRepositories

    init() throws {
        fixture = try Self.fixture.get()
        verdictDirectory = try TemporaryDirectory(prefix: "dehub-web-verdicts")
        site = WebSite(verdictDirectory: verdictDirectory.path)
        repositories = FixedRepositories(repositories: [
            WebRepository(
                name: "demo", path: fixture.repositoryPath, cloneHTTP: "http://host/demo.git", cloneSSH: "ssh://git@host/demo.git"
            )
        ])
    }

    func get(_ path: String, query: String? = nil) async throws -> WebResponse {
        let route = try #require(WebRoute.parse(method: "GET", path: path, query: query), "\(path) is not a page")
        return await site.respond(route, repositories: repositories)
    }

    @Test("every page carries the strict Content-Security-Policy and nosniff")
    func securityHeaders() async throws {
        for path in ["/", "/demo", "/demo/log/main", "/demo/threads", "/demo/tree/main", "/nothing", "/static/style.css"] {
            let page = try await get(path)
            #expect(page.header("Content-Security-Policy") == WebResponse.contentSecurityPolicy, "\(path)")
            #expect(page.header("X-Content-Type-Options") == "nosniff", "\(path)")
            #expect(!page.text.contains("<script"), "\(path)")
        }
    }

    @Test("/ lists the repositories with main's verified tip")
    func home() async throws {
        let page = try await get("/")
        #expect(page.status == 200)
        #expect(page.text.contains("href=\"/demo\""))
        #expect(page.text.contains("A project whose *main* carries"))
        // main's tip is the refused commit.
        #expect(page.text.contains("not verifiable"))
    }

    @Test("/NAME shows the rules in plain words, the accounts' keys, the clone URLs and the README")
    func repository() async throws {
        let page = try await get("/demo")
        let html = page.text
        #expect(page.status == 200)
        #expect(html.contains("Changes to main need 2 signatures of alice, bob, carol."))
        #expect(html.contains("Commits to main that are not fast-forwards are refused."))
        #expect(html.contains("<th>carol</th>"))
        #expect(html.contains(fixture.team.alice.publicKeyLine.isEmpty ? "" : "SHA256:"))
        #expect(html.contains("value=\"git clone http://host/demo.git\""))
        #expect(html.contains("<table>"))
        #expect(html.contains("<td>maintainer</td>"))
        #expect(html.contains("<li><code>v0.1</code> <a href=\"/demo/commit/\(fixture.landed)\">"))
    }

    @Test("lineage: a mirror's upstream and a fork's parents, as the host states them")
    func lineage() async throws {
        var repository = repositories.repositories[0]
        repository.mirrorOf = "https://up.example/demo.git"
        repository.forkedFrom = ["https://a.example/<b>.git (2026-11-30T11:00:00Z)"]
        let page = await site.respond(.repository(name: "demo"), repositories: FixedRepositories(repositories: [repository]))
        #expect(page.text.contains("Mirror of <code>https://up.example/demo.git</code>"))
        #expect(page.text.contains("Forked from <code>https://a.example/&lt;b&gt;.git (2026-11-30T11:00:00Z)</code>"))
    }

    @Test("a hostile README: raw HTML and javascript: links are not rendered")
    func hostileReadme() async throws {
        let html = try await get("/demo").text
        #expect(!html.contains("<script"))
        #expect(!html.contains("onerror"))
        #expect(!html.contains("onmouseover"))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("data:text/html"))
        #expect(html.contains("raw HTML omitted"))
        #expect(html.contains("<a href=\"\">a javascript link</a>"))
    }

    @Test("the log shows each commit's verdict under the branch's rules, the refused one with the engine's reason")
    func log() async throws {
        let html = try await get("/demo/log/main").text
        #expect(html.contains("verified by alice, bob"))
        #expect(html.contains("not verifiable"))
        #expect(
            html.contains(
                "access controls: access_controls[2] of .dehub/config.yml denies this change commit on branch &#39;main&#39;"))
        #expect(html.contains("needs credentials from 2 of [alice, bob, carol]; verified: alice; missing: bob, carol"))
        #expect(html.contains("Unreviewed change"))
        // The <script> in a description is text.
        #expect(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"))
        #expect(!html.contains("<script"))
    }

    @Test("a second look at the log is answered from the verdict cache in the data dir, with the same verdicts")
    func verdictCache() async throws {
        let first = try await get("/demo/log/main").text
        let file = verdictDirectory.path + "/demo.verdicts-v1"
        #expect(FileManager.default.fileExists(atPath: file))
        let cache = site.verdicts.cache("demo")
        #expect(cache.loadedCount >= 2)
        let second = try await get("/demo/log/main").text
        #expect(first == second)
    }

    @Test("threads show the credentials collected and what is missing for main")
    func threads() async throws {
        let html = try await get("/demo/threads").text
        #expect(html.contains("Needs 1 more of bob, carol before it can be combined onto main."))
        #expect(html.contains("Ready: main's rules accept the combined change (signed by alice, bob)."))
        #expect(html.contains("Looks right, &lt;b&gt;but&lt;/b&gt; where are the tests?"))
    }

    @Test("a commit page shows the payload, each credential verified, and the diff with the hostile file name escaped")
    func commit() async throws {
        let html = try await get("/demo/commit/\(fixture.landed)").text
        #expect(html.contains("verified by alice, bob"))
        #expect(html.contains("<td>alice</td>"))
        #expect(html.contains("<td>bob</td>"))
        #expect(html.contains("SHA256:"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror="))
        #expect(html.contains("<span class=\"add\">+hostile name</span>"))
        #expect(!html.contains("<img"))
    }

    @Test("?branch= judges a commit under that branch's rules (the log and threads link with it)")
    func commitUnderBranch() async throws {
        let html = try await get("/demo/commit/\(fixture.featureChange)", query: "branch=feature").text
        #expect(html.contains("Under the rules of <code>feature</code>"))
        #expect(html.contains("verified by alice"))
        let threads = try await get("/demo/threads").text
        #expect(threads.contains("href=\"/demo/commit/\(fixture.featureChange)?branch=feature\""))
    }

    @Test("the refused commit's page says why, and its credential still verified")
    func refusedCommit() async throws {
        let html = try await get("/demo/commit/\(fixture.refused)").text
        #expect(html.contains("not verifiable"))
        #expect(html.contains("needs credentials from 2 of [alice, bob, carol]; verified: alice; missing: bob, carol"))
        #expect(html.contains("<span class=\"badge ok\">verified</span>"))
    }

    @Test("tree and blob pages link a hostile file name percent-encoded and show it escaped")
    func files() async throws {
        let tree = try await get("/demo/tree/main").text
        let encoded = WebPath.encode(WebFixture.hostileFile)
        #expect(tree.contains("href=\"/demo/blob/main/\(encoded)\""))
        #expect(tree.contains("&quot;&gt;&lt;img src=x onerror="))
        #expect(!tree.contains("<img"))
        let blob = try await get("/demo/blob/main/" + encoded)
        #expect(blob.status == 200)
        #expect(blob.text.contains("hostile name"))
        let dir = try await get("/demo/tree/main/docs")
        #expect(dir.text.contains("guide.md"))
    }

    @Test("raw downloads are attachments that the browser never renders")
    func raw() async throws {
        let raw = try await get("/demo/raw/main/README.md")
        #expect(raw.status == 200)
        #expect(raw.header("Content-Type") == "application/octet-stream")
        #expect(raw.header("Content-Disposition") == "attachment; filename*=UTF-8''README.md")
        #expect(raw.header("Content-Security-Policy") == "default-src 'none'; sandbox")
        #expect(raw.text == WebFixture.readme)
    }

    @Test(
        "paths that climb out, are absolute or name nothing are refused",
        arguments: [
            "/demo/blob/main/..%2F..%2Fetc%2Fpasswd", "/demo/blob/main/%2e%2e/x", "/demo/tree/main//etc",
            "/demo/blob/main/docs/../README.md", "/demo/raw/main/%2Fetc%2Fpasswd", "/demo/blob/main/nothing",
            "/demo/log/nothing", "/demo/commit/0000000000000000000000000000000000000000", "/demo/tree/no-such-rev",
            "/demo/blob/HEAD~1/README.md", "/demo/log/..", "/other", "/other/log/main",
        ])
    func refused(path: String) async throws {
        let route = WebRoute.parse(method: "GET", path: path, query: nil)
        guard let route else { return }  // not a page: smart HTTP answers it
        let page = await site.respond(route, repositories: repositories)
        #expect(page.status == 404, "\(path): \(page.status)")
    }

    @Test("a private repository is the same 404 as a missing one")
    func privateRepository() async throws {
        let hidden = FixedRepositories(repositories: [])
        for path in ["/demo", "/demo/log/main", "/demo/raw/main/README.md"] {
            let route = try #require(WebRoute.parse(method: "GET", path: path, query: nil))
            let page = await site.respond(route, repositories: hidden)
            let missing = await site.respond(
                try #require(
                    WebRoute.parse(method: "GET", path: path.replacingOccurrences(of: "demo", with: "nope"), query: nil)),
                repositories: hidden)
            #expect(page.status == 404)
            #expect(page.text == missing.text)
        }
        #expect(!(try await site.respond(.home, repositories: hidden)).text.contains("demo"))
    }

    @Test("the log pages through a history with ?from=")
    func paging() async throws {
        var limits = WebLimits()
        limits.logPageSize = 2
        let small = WebSite(verdictDirectory: verdictDirectory.path, limits: limits)
        let first = await small.respond(.log(name: "demo", branch: "main", from: nil), repositories: repositories).text
        let next = try #require(first.range(of: "/demo/log/main?from=").map { first[$0.upperBound...].prefix(40) })
        let second = await small.respond(.log(name: "demo", branch: "main", from: String(next)), repositories: repositories)
        #expect(second.status == 200)
        #expect(second.text.contains("Initial config"))
        #expect(!second.text.contains("Unreviewed change"))
    }
}
