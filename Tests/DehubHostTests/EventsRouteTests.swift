import Testing

@testable import DehubHost

/// The event stream's HTTP routes and the SSH `watch` command, parsed.
@Suite struct EventsRouteTests {
    @Test(arguments: [
        ("GET", "/demo.git/dehub/events", nil as String?, HTTPRoute.events(rawNames: ["demo.git"])),
        ("GET", "/team/x.git/dehub/events", "ignored=1", .events(rawNames: ["team/x.git"])),
        ("GET", "/dehub/events", "repo=a&repo=team/b&repo=a", .events(rawNames: ["a", "team/b"])),
        ("GET", "/dehub/events", nil, .events(rawNames: [])),
        ("GET", "/dehub/events", "repo=a%2Fb", .notFound),
        ("GET", "/dehub/events", "repo=", .notFound),
        ("POST", "/demo.git/dehub/events", nil, .methodNotAllowed),
        ("GET", "/dehub/eventsx", nil, .notFound),
    ])
    func routes(method: String, path: String, query: String?, expected: HTTPRoute) {
        #expect(HTTPRoute.parse(method: method, path: path, query: query) == expected)
    }

    @Test func underTheAuthenticatedPrefixToo() {
        let target = HTTPTarget.parse(method: "GET", path: "/auth/demo.git/dehub/events", query: nil)
        #expect(target == HTTPTarget(route: .events(rawNames: ["demo.git"]), credentialsRequired: true))
    }

    @Test(arguments: [
        ("watch demo", SSHCommandLine.watch(["demo"])), ("watch a b.git", .watch(["a", "b.git"])), ("watch", .watch([])),
    ])
    func sshWatchCommands(line: String, expected: SSHCommandLine) {
        #expect(SSHCommandLine.parse(line) == .success(expected))
    }

    @Test func sshWatchWithShellSyntaxIsRefused() {
        #expect(SSHCommandLine.parse("watch demo;rm") == .failure(.invalidCharacter))
    }
}
