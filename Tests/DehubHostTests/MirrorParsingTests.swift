import Testing

@testable import DehubHost

/// The pure parts of mirrors, forks and the directory: command words, upstream URLs, the state a sync report leaves,
/// the read-only rule, the `peers` setting and the directory's route.
@Suite("Mirrors, forks and peers: parsing and pure rules")
struct MirrorParsingTests {
    static func name(_ raw: String) -> RepoName { RepoName.validated(raw)! }

    @Test(
        "fork and mirror commands",
        arguments: [
            ("repo fork a b", AdminCommand.repoFork(name("a"), to: name("b"), isPrivate: false, newRoot: false)),
            ("repo fork a team/b --private --new-root", .repoFork(name("a"), to: name("team/b"), isPrivate: true, newRoot: true)),
            (
                "mirror add m --from https://h/x.git",
                .mirror(.add(name("m"), from: "https://h/x.git", root: nil, isPrivate: false))
            ),
            (
                "mirror add m --root 0123456789abcdef0123456789abcdef01234567 --from file:///x --private",
                .mirror(.add(name("m"), from: "file:///x", root: "0123456789abcdef0123456789abcdef01234567", isPrivate: true))
            ),
            ("mirror sync m", .mirror(.sync(name("m")))),
            ("mirror status", .mirror(.status(json: false))),
            ("mirror status --json", .mirror(.status(json: true))),
        ])
    func parses(line: String, expected: AdminCommand) {
        let words = line.split(separator: " ").map(String.init)
        #expect(AdminCommand.parse(words) == .success(expected))
        #expect(expected.needsAdmin)
    }

    @Test(
        "refused fork and mirror commands",
        arguments: [
            ("repo fork a", AdminCommandError.usage("repo fork SRC DST [--private] [--new-root]")),
            ("repo fork a b c", .usage("repo fork SRC DST [--private] [--new-root]")),
            ("repo fork a b --shared", .usage("repo fork SRC DST [--private] [--new-root]")),
            ("mirror add m", .usage("mirror add NAME --from URL [--root OID] [--private]")),
            ("mirror add m --from", .usage("mirror add NAME --from URL [--root OID] [--private]")),
            ("mirror add m n --from x", .usage("mirror add NAME --from URL [--root OID] [--private]")),
            ("mirror sync", .usage("mirror sync NAME")),
            ("mirror status --yaml", .usage("mirror status [--json]")),
            ("mirror", .usage("mirror add|sync|status")),
            ("mirror remove m", .unknownCommand("mirror remove")),
        ])
    func refuses(line: String, expected: AdminCommandError) {
        #expect(AdminCommand.parse(line.split(separator: " ").map(String.init)) == .failure(expected))
    }

    @Test(
        "upstream URLs",
        arguments: [
            ("https://a.example.org/x.git", true), ("http://127.0.0.1:8080/x.git", true), ("ssh://git@h:22/x.git", true),
            ("git://h/x.git", true), ("file:///srv/x.git", true), ("ext::sh -c touch% /tmp/pwned", false),
            ("fd::3", false), ("-uhelp", false), ("/srv/x.git", false), ("https://", false), ("https://h/x y.git", false),
            ("https://h/x\n.git", false), ("", false),
        ])
    func upstreamURLs(url: String, valid: Bool) {
        if case .success = UpstreamURL.validate(url) { #expect(valid) } else { #expect(!valid) }
    }

    @Test("credentials never show in an upstream URL")
    func redaction() {
        #expect(UpstreamURL.redacted("https://x:dehub_abc@h.example/p.git") == "https://h.example/p.git")
        #expect(UpstreamURL.redacted("ssh://git@h:2222/p.git") == "ssh://h:2222/p.git")
        #expect(UpstreamURL.redacted("https://h.example/a@b.git") == "https://h.example/a@b.git")
        #expect(UpstreamURL.redacted("file:///srv/p.git") == "file:///srv/p.git")
    }

    @Test("a mirror takes no push, from anyone, on either transport; reads are unchanged")
    func readOnly() {
        let mirror = RepoFacts(exists: true, mirrorOf: "https://a.example/p.git")
        let admin = RequesterFacts(isAuthenticated: true, isAdmin: true)
        for requester in [admin, .anonymous, RequesterFacts(isAuthenticated: true, isMember: true)] {
            for transport in [Transport.ssh, .http] {
                #expect(
                    AccessPolicy.decidePush(requester, mirror, transport: transport, policy: .open)
                        == .deny(.readOnlyMirror(upstream: "https://a.example/p.git")))
            }
            #expect(AccessPolicy.decideRead(requester, mirror) == .allow)
        }
        let hidden = RepoFacts(exists: true, isPrivate: true, mirrorOf: "https://a.example/p.git")
        #expect(AccessPolicy.decidePush(.anonymous, hidden, transport: .http, policy: .open) == .deny(.authenticationRequired))
        #expect(
            AccessDenial.readOnlyMirror(upstream: "https://a.example/p.git").message
                == "read-only mirror of https://a.example/p.git; push there")
    }

    @Test("a sync report folds into the state: verified tips move, refusals keep the tip and the engine's message")
    func stateFolding() {
        var state = MirrorState()
        let t1 = String(repeating: "1", count: 40), t2 = String(repeating: "2", count: 40)
        MirrorSync.record(
            MirrorRunReport(refs: [
                "refs/heads/main": .verified(tip: t1, commits: 3), "refs/heads/idea": .verified(tip: t1, commits: 1),
            ]),
            into: &state, at: "T1", redacting: "https://x:secret@h/p.git")
        #expect(state.refs["refs/heads/main"]?.tip == t1)
        #expect(state.refs["refs/heads/main"]?.verifiedAt == "T1")
        MirrorSync.record(
            MirrorRunReport(refs: [
                "refs/heads/main": .refused(upstreamTip: t2, message: "commit 2222222222 ... from https://x:secret@h/p.git"),
                "refs/heads/idea": .deleted,
            ]),
            into: &state, at: "T2", redacting: "https://x:secret@h/p.git")
        let main = state.refs["refs/heads/main"]
        #expect(main?.tip == t1)
        #expect(main?.upstreamTip == t2)
        #expect(main?.result == .refused)
        #expect(main?.verifiedAt == "T1")
        #expect(main?.lastSync == "T2")
        #expect(main?.message == "commit 2222222222 ... from https://h/p.git")
        #expect(state.refs["refs/heads/idea"]?.result == .deleted)
        MirrorSync.record(MirrorRunReport(unreachable: "could not resolve host"), into: &state, at: "T3", redacting: "u")
        #expect(state.problem == "upstream unreachable: could not resolve host")
        #expect(state.refs["refs/heads/main"]?.result == .unreachable)
        #expect(state.refs["refs/heads/main"]?.tip == t1)
        #expect(state.refs["refs/heads/idea"] == nil, "a deleted branch is forgotten after one more report")
        MirrorSync.record(
            MirrorRunReport(refs: ["refs/heads/main": .verified(tip: t1, commits: 0)]), into: &state, at: "T4", redacting: "u")
        #expect(state.problem == nil)
        #expect(state.refs["refs/heads/main"]?.verifiedAt == "T1", "an unchanged tip keeps its verification time")
        MirrorSync.record(
            MirrorRunReport(failure: "the replica cache is pinned to 1234567890"), into: &state, at: "T5", redacting: "u")
        #expect(state.problem == "sync failed: the replica cache is pinned to 1234567890")
        #expect(state.refs["refs/heads/main"]?.result == .verified, "a sync that could not run leaves the refs' results")
        #expect(state.lastSync == "T5")
    }

    @Test("peers in the host config")
    func peers() throws {
        #expect(
            try HostConfig.parse("peers: [https://a.example.org/, http://127.0.0.1:8080]\n").get().peers == [
                "https://a.example.org", "http://127.0.0.1:8080",
            ])
        #expect(try HostConfig.parse("peers:\n- https://a.example.org\n").get().peers == ["https://a.example.org"])
        #expect(try HostConfig.parse("peers: []\nmirror_poll_seconds: 30\n").get().mirrorPollSeconds == 30)
        for (text, message) in [
            (
                "peers: https://a.example.org\n",
                "host config line 1: peers must be a list of base URLs, e.g. [https://a.example.org]"
            ),
            ("peers: [ftp://a]\n", "host config line 1: peer 'ftp://a' is not an http:// or https:// base URL"),
            ("peers: [[https://a]]\n", "host config line 1: peers must be a list of base URLs"),
            ("mirror_poll_seconds: 0\n", "host config line 1: mirror_poll_seconds must be a positive integer"),
        ] {
            #expect(HostConfig.parse(text).map { _ in "" } == .failure(HostError(.config, message)))
        }
    }

    @Test("the directory's route")
    func route() {
        #expect(HTTPRoute.parse(method: "GET", path: "/.well-known/dehub/repos.json", query: nil) == .directory)
        #expect(HTTPRoute.parse(method: "HEAD", path: "/.well-known/dehub/repos.json", query: nil) == .directory)
        #expect(HTTPRoute.parse(method: "POST", path: "/.well-known/dehub/repos.json", query: nil) == .methodNotAllowed)
    }
}
