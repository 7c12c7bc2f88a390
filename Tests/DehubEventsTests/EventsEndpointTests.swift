import DehubCore
import Testing

@testable import DehubEvents

@Suite struct EventsEndpointTests {
    @Test(arguments: [
        (
            "http://127.0.0.1:8080/demo.git",
            EventEndpoint.http(url: "http://127.0.0.1:8080/demo.git/dehub/events", user: nil, password: nil)
        ),
        (
            "https://git.example.org/team/x.git/",
            .http(url: "https://git.example.org/team/x.git/dehub/events", user: nil, password: nil)
        ),
        ("http://x:to%2Fken@h/auth/demo.git", .http(url: "http://h/auth/demo.git/dehub/events", user: "x", password: "to/ken")),
        ("http://h/demo.git?x=1", .http(url: "http://h/demo.git/dehub/events", user: nil, password: nil)),
        ("ssh://git@127.0.0.1:2222/demo.git", .ssh(destination: "git@127.0.0.1", port: 2222, repo: "demo.git")),
        ("ssh://host/team/x", .ssh(destination: "host", port: nil, repo: "team/x")),
        ("git@host:team/x.git", .ssh(destination: "git@host", port: nil, repo: "team/x.git")),
    ])
    func parses(url: String, endpoint: EventEndpoint) {
        #expect(EventEndpoint.parse(remoteURL: url) == .success(endpoint))
    }

    @Test(arguments: [
        ("file:///srv/demo.git", EventEndpointError.unsupported("file:///srv/demo.git")),
        ("/srv/demo.git", .unsupported("/srv/demo.git")),
        ("http://h", .noRepository("http://h")), ("http:///x", .unsupported("http:///x")),
        ("ssh://-oProxyCommand=x/demo", .unsupported("ssh://-oProxyCommand=x/demo")),
        ("ssh://h:99999/x", .unsupported("ssh://h:99999/x")),
        ("host:~/x.git", .noRepository("host:~/x.git")), ("host:x'y", .noRepository("host:x'y")), ("", .unsupported("")),
        ("http://h/a b", .unsupported("http://h/a b")),
    ])
    func refuses(url: String, error: EventEndpointError) {
        #expect(EventEndpoint.parse(remoteURL: url) == .failure(error))
    }

    @Test func theTokenGoesToCurlOnStdinNotOnItsCommandLine() {
        let config = EventConnection.curlConfig(
            url: "http://h/auth/demo.git/dehub/events", user: "x", password: "se\"cr\\et", lastEventID: "0123456789abcdef-4")
        #expect(config.contains(#"user = "x:se\"cr\\et""#))
        #expect(config.contains(#"header = "Last-Event-ID: 0123456789abcdef-4""#))
        #expect(config.contains(#"url = "http://h/auth/demo.git/dehub/events""#))
        // An id that would break the header is not sent.
        #expect(!EventConnection.curlConfig(url: "u", user: nil, password: nil, lastEventID: "a\nb").contains("Last-Event-ID"))
    }

    @Test func sshRunsLikeGitDoes() {
        var options = EventClientOptions()
        #expect(options.sshArguments(destination: "git@h", port: 2222, command: "watch demo.git").0 == "ssh")
        #expect(
            options.sshArguments(destination: "git@h", port: 2222, command: "watch demo.git").1 == [
                "-p", "2222", "git@h", "watch demo.git",
            ])
        options.sshCommand = .shell("ssh -i key")
        let (program, arguments) = options.sshArguments(destination: "h", port: nil, command: "watch x")
        #expect(program == "sh")
        #expect(arguments == ["-c", "exec ssh -i key \"$@\"", "ssh", "h", "watch x"])
        options.sshCommand = .shell("A=1 ssh")
        #expect(options.sshArguments(destination: "h", port: nil, command: "watch x").1[1] == "A=1 ssh \"$@\"")
    }

    @Test func curlsStatusAndMessageAreRead() {
        #expect(EventConnection.httpStatus("curl: (22) The requested URL returned error: 401\ndehub-http-status 401\n") == 401)
        #expect(EventConnection.httpStatus("nothing") == nil)
        #expect(
            EventConnection.curlMessage("curl: (7) Failed to connect\ndehub-http-status 000\n") == "curl: (7) Failed to connect")
    }
}
