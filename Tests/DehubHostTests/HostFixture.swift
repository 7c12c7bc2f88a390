import DehubTestSupport
import Foundation
import Testing

/// A started host with an admin, and a public repo `demo` whose `main` holds a verified root commit.
struct HostFixture {
    let server: HostTestServer
    let admin: String
    let stranger: String

    static func start(extraArguments: [String] = [], createDemo: Bool = true, config: String? = nil) throws -> HostFixture {
        let server = try HostTestServer()
        let admin = try server.makeKey("admin")
        let stranger = try server.makeKey("stranger")
        if let config {
            try FileManager.default.createDirectory(atPath: server.data, withIntermediateDirectories: true)
            try config.write(toFile: server.data + "/host-config.yml", atomically: true, encoding: .utf8)
        }
        try server.start(adminKey: admin, extraArguments: extraArguments)
        let fixture = HostFixture(server: server, admin: admin, stranger: stranger)
        if createDemo {
            try fixture.expectOK(server.ssh(["repo", "create", "demo"], key: admin))
            let work = try server.makeWorkTree("seed", message: "root: signed")
            try fixture.expectOK(server.git(["push", "-q", server.sshURL("demo"), "main"], key: admin, in: work))
        }
        return fixture
    }

    func stop() {
        server.stop()
        server.removeFiles()
    }

    @discardableResult
    func expectOK(_ result: HostCommandResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> HostCommandResult {
        guard result.status == 0 else {
            throw HostTestError("command failed (\(result.status)): \(result.output)")
        }
        return result
    }

    /// A clone of `demo` at `root/NAME` over `url`.
    func clone(_ url: String, to name: String, key: String? = nil, protocolVersion: Int = 2) throws -> String {
        let path = server.root + "/" + name
        try expectOK(server.git(["-c", "protocol.version=\(protocolVersion)", "clone", "-q", url, path], key: key))
        return path
    }
}

/// Every end-to-end suite nests here, so they run one at a time: two servers and their clients would compete
/// for 2 cores. They start real servers and drive real git, ssh and curl; every child runs under a time limit
/// that kills its whole process group (`ProcessRunner`), so a stuck client fails its test instead of hanging the run.
@Suite("End to end", .serialized)
struct EndToEnd {}
