import DehubTestSupport
import Foundation
import Testing

/// The web view served by a real `dehub-host` on port 0, next to smart HTTP: the fixture's history in a public
/// repository `demo` and a private one `secret`, read with curl (access rules, headers) and with headless Chromium
/// (the rendered DOM, and that no script from the repository ran).
@Suite("Web view, end to end", .serialized)
struct WebHostTests {
    /// A host with `demo` (public) and `secret` (private), both holding the fixture's branches.
    final class Host {
        let server: HostTestServer
        let admin: String

        init() throws {
            let fixture = try WebPagesTests.fixture.get()
            server = try HostTestServer()
            admin = try server.makeKey("admin")
            try server.start(adminKey: admin)
            for (name, flags) in [("demo", [String]()), ("secret", ["--private"])] {
                let created = try server.ssh(["repo", "create", name] + flags, key: admin)
                guard created.status == 0 else { throw HostTestError("repo create: \(created.output)") }
                // Seeded server-side, as scripts/run-host.sh does: a fetch into the bare repository runs no hook.
                let fetched = try server.git([
                    "--git-dir", server.data + "/repos/\(name).git", "fetch", "-q", fixture.repositoryPath,
                    "+refs/heads/*:refs/heads/*",
                ])
                guard fetched.status == 0 else { throw HostTestError("fetch: \(fetched.output)") }
            }
        }

        deinit {
            server.stop()
            server.removeFiles()
        }

        func url(_ path: String) -> String { "http://127.0.0.1:\(server.httpPort)\(path)" }

        /// `curl -i`: status line, headers and body.
        func curl(_ path: String, _ extra: [String] = []) throws -> String {
            try HostCommandRunner.run(
                ["curl", "-s", "-i", "--path-as-is"] + extra + [url(path)], environment: server.environment
            )
            .stdout
        }

        /// The DOM after Chromium loaded the page and ran whatever it would run.
        func dom(_ path: String) throws -> String {
            let profile = server.root + "/chromium-\(UUID().uuidString)"
            let result = try HostCommandRunner.run(
                Self.chromium + ["--user-data-dir=" + profile, "--dump-dom", url(path)], environment: server.environment,
                timeout: 120)
            guard result.status == 0, result.stdout.contains("</html>") else {
                throw HostTestError("chromium failed (\(result.status)): \(result.stderr.suffix(2000))")
            }
            return result.stdout
        }

        /// A screenshot of `path` into `file` (`DEHUB_WEB_SCREENSHOTS` runs only: they are kept in docs/screens).
        func screenshot(_ path: String, to file: String) throws {
            let profile = server.root + "/chromium-\(UUID().uuidString)"
            _ = try HostCommandRunner.run(
                Self.chromium + [
                    "--user-data-dir=" + profile, "--hide-scrollbars", "--window-size=1000,900", "--screenshot=" + file,
                    url(path),
                ], environment: server.environment, timeout: 120)
        }

        static let chromium = [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--virtual-time-budget=3000",
        ]
    }

    @Test("pages next to smart HTTP: clone still works, the pages answer with the CSP")
    func besideSmartHTTP() throws {
        let host = try Host()
        let page = try host.curl("/demo")
        #expect(page.hasPrefix("HTTP/1.1 200"))
        #expect(page.lowercased().contains("content-security-policy: default-src 'none'; style-src 'self'"))
        #expect(page.contains("Changes to main need 2 signatures of alice, bob, carol."))
        let clone = try host.server.git(["clone", "-q", host.server.httpURL("demo"), host.server.root + "/clone"])
        #expect(clone.status == 0, "\(clone.output)")
    }

    @Test("a private repository: 404 to anonymous requests like a missing one, its pages to a reader's token under /auth")
    func privateRepository() throws {
        let host = try Host()
        for path in ["/secret", "/secret/log/main", "/secret/threads", "/secret/raw/main/README.md"] {
            #expect(try host.curl(path).hasPrefix("HTTP/1.1 404"), "\(path)")
        }
        #expect(!(try host.curl("/")).contains("secret"))
        let token =
            try HostCommandRunner.run(
                [HostTestServer.binary(), "token", "create", "admin", "--key", host.admin + ".pub", "--data", host.server.data],
                environment: host.server.environment
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init) ?? ""
        #expect(try host.curl("/auth/secret").hasPrefix("HTTP/1.1 401"))
        let page = try host.curl("/auth/secret/log/main", ["-u", "x:" + token])
        #expect(page.hasPrefix("HTTP/1.1 200"), "\(page.prefix(300))")
        #expect(page.contains("href=\"/auth/secret/commit/"))
        #expect(try host.curl("/auth/", ["-u", "x:" + token]).contains("href=\"/auth/secret\""))
    }

    @Test("the detector works: the same payloads on a page without escaping or CSP do run in this Chromium")
    func detectorControl() throws {
        let profile = try TemporaryDirectory(prefix: "dehub-chromium")
        let page = "data:text/html,<body><img src=x onerror=\"document.body.setAttribute('data-pwned','control')\"></body>"
        let result = try HostCommandRunner.run(
            Host.chromium + ["--user-data-dir=" + profile.path, "--dump-dom", page],
            environment: ProcessInfo.processInfo.environment, timeout: 120)
        #expect(result.stdout.contains("data-pwned=\"control\""), "\(result.stdout.prefix(500)) \(result.stderr.suffix(500))")
    }

    @Test("Chromium: verdict badges, the missing signatures, the README's table, and no script from the repository ran")
    func browser() throws {
        let host = try Host()
        let pages = ["/", "/demo", "/demo/log/main", "/demo/threads", "/demo/tree/main"]
        for path in pages {
            let dom = try host.dom(path)
            // A script that ran would have set the attribute on <body>, or the title.
            #expect(!dom.contains("data-pwned=\""), "\(path)")
            #expect(!dom.contains("<title>pwned"), "\(path)")
            #expect(!dom.contains("<script"), "\(path)")
        }
        let repo = try host.dom("/demo")
        #expect(repo.contains("<td>maintainer</td>"))
        let log = try host.dom("/demo/log/main")
        #expect(log.contains("<span class=\"badge ok\" title=\"verified under main's rules\">verified by alice, bob</span>"))
        #expect(log.contains("<span class=\"badge bad\" title=\"not verifiable under main's rules\">not verifiable</span>"))
        #expect(log.contains("Add notes &lt;script&gt;document.title='pwned'&lt;/script&gt;"))
        let threads = try host.dom("/demo/threads")
        #expect(threads.contains("Needs 1 more of bob, carol before it can be combined onto main."))
        let fixture = try WebPagesTests.fixture.get()
        let commit = try host.dom("/demo/commit/\(fixture.landed)")
        #expect(!commit.contains("data-pwned=\""))
        #expect(commit.contains("\"&gt;&lt;img src=x onerror="))
        let blob = try host.dom("/demo/blob/main/README.md")
        #expect(blob.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"))
        #expect(!blob.contains("<title>pwned"))

        if let directory = ProcessInfo.processInfo.environment["DEHUB_WEB_SCREENSHOTS"] {
            let shots = [
                ("home", "/"), ("repository", "/demo"), ("log", "/demo/log/main"), ("threads", "/demo/threads"),
                ("commit", "/demo/commit/\(fixture.landed)"), ("tree", "/demo/tree/main"), ("blob", "/demo/blob/main/README.md"),
            ]
            for (name, path) in shots { try host.screenshot(path, to: directory + "/\(name).png") }
        }
    }
}
