import Foundation
import Testing

@testable import DehubHost

@Suite("HTTP routes")
struct HTTPRouteTests {
    @Test(
        "routes",
        arguments: [
            ("GET", "/", nil as String?, HTTPRoute.index),
            ("GET", "/demo.git/info/refs", "service=git-upload-pack", .advertisement(rawName: "demo.git", .uploadPack)),
            ("GET", "/team/x.git/info/refs", "service=git-receive-pack", .advertisement(rawName: "team/x.git", .receivePack)),
            ("GET", "/demo/info/refs", "service=git-upload-pack", .advertisement(rawName: "demo", .uploadPack)),
            ("POST", "/demo.git/git-upload-pack", nil, .rpc(rawName: "demo.git", .uploadPack)),
            ("POST", "/team/x.git/git-receive-pack", nil, .rpc(rawName: "team/x.git", .receivePack)),
            ("GET", "/demo.git/info/refs", nil, .dumb),
            ("GET", "/demo.git/HEAD", nil, .dumb),
            ("GET", "/demo.git/objects/info/packs", nil, .dumb),
            ("GET", "/demo.git/info/refs", "service=git-upload-archive", .notFound),
            ("GET", "/demo.git/info/refs", "service=git-upload-pack&service=git-receive-pack", .notFound),
            ("GET", "/demo.git/info/refs", "service=evil", .notFound),
            ("GET", "/..%2F..%2Fetc/info/refs", "service=git-upload-pack", .notFound),
            ("GET", "/info/refs", "service=git-upload-pack", .notFound),
            ("POST", "/demo.git/git-upload-archive", nil, .notFound),
            ("GET", "/demo.git/git-upload-pack", nil, .methodNotAllowed),
            ("POST", "/demo.git/info/refs", "service=git-upload-pack", .methodNotAllowed),
            ("DELETE", "/", nil, .methodNotAllowed),
            ("GET", "relative", nil, .notFound),
        ])
    func route(method: String, path: String, query: String?, expected: HTTPRoute) {
        #expect(HTTPRoute.parse(method: method, path: path, query: query) == expected)
    }

    @Test(
        "the /auth/ prefix: the same routes, with credentials required",
        arguments: [
            (
                "GET", "/auth/demo.git/info/refs", "service=git-receive-pack",
                HTTPTarget(route: .advertisement(rawName: "demo.git", .receivePack), credentialsRequired: true)
            ),
            (
                "POST", "/auth/team/x.git/git-receive-pack", nil,
                HTTPTarget(route: .rpc(rawName: "team/x.git", .receivePack), credentialsRequired: true)
            ),
            ("GET", "/auth", nil, HTTPTarget(route: .index, credentialsRequired: true)),
            ("GET", "/auth/", nil, HTTPTarget(route: .index, credentialsRequired: true)),
            (
                "GET", "/auth/auth/x.git/info/refs", "service=git-upload-pack",
                HTTPTarget(route: .advertisement(rawName: "auth/x.git", .uploadPack), credentialsRequired: true)
            ),
            (
                "GET", "/authors.git/info/refs", "service=git-upload-pack",
                HTTPTarget(route: .advertisement(rawName: "authors.git", .uploadPack), credentialsRequired: false)
            ),
            (
                "GET", "/demo.git/info/refs", "service=git-upload-pack",
                HTTPTarget(route: .advertisement(rawName: "demo.git", .uploadPack), credentialsRequired: false)
            ),
            (
                "GET", "/auth/../demo.git/info/refs", "service=git-upload-pack",
                HTTPTarget(route: .advertisement(rawName: "../demo.git", .uploadPack), credentialsRequired: true)
            ),
        ])
    func target(method: String, path: String, query: String?, expected: HTTPTarget) {
        #expect(HTTPTarget.parse(method: method, path: path, query: query) == expected)
    }

    @Test(
        "Basic authorization",
        arguments: [
            (nil as String?, BasicAuthorization.Parsed.none),
            (basic("Basic", "alice:tok"), .token("tok")),
            (basic("basic", "x:a:b"), .token("a:b")),
            (basic("Basic", "alice:"), .malformed),
            (basic("Basic", "alice"), .malformed),
            ("Bearer abc", .malformed),
            ("Basic !!!", .malformed),
            ("Basic", .malformed),
        ])
    func basicAuthorization(header: String?, expected: BasicAuthorization.Parsed) {
        #expect(BasicAuthorization.parse(header) == expected)
    }

    @Test(
        "Git-Protocol values",
        arguments: [
            ("version=2", true), ("version=2:object-format=sha1", true), ("version=1", true),
            ("", false), ("version=2\nX=1", false), ("a b", false), ("$(id)", false),
        ])
    func gitProtocol(value: String, valid: Bool) {
        #expect(GitProtocolHeader.isValid(value) == valid)
    }

    @Test func pktLines() {
        #expect(PktLine.encode("# service=git-upload-pack\n") == Array("001e# service=git-upload-pack\n".utf8))
        #expect(PktLine.error("repository not found") == Array("001dERR repository not found\n".utf8))
    }
}

func basic(_ scheme: String, _ credentials: String) -> String? {
    scheme + " " + Data(credentials.utf8).base64EncodedString()
}
