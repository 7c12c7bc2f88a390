import DehubTestSupport
import Foundation
import Testing

/// Hosts on free ports, each with its own data directory and the real `dehub` hook, around one signed project: A
/// serves `project` (main needs change commits signed by 2 of alice, bob and carol; alice is every host's admin), and
/// more hosts start on demand. The federation suites (mirrors, forks, the directory, redirects) share it.
struct MirrorWorld {
    let scenario: Scenario
    let team: ScenarioTeam
    let a: HostTestServer
    let root: String
    private let others: Box

    final class Box: @unchecked Sendable { var servers: [HostTestServer] = [] }

    var admin: String { team.alice.privateKeyPath }

    static func start() throws -> MirrorWorld {
        let scenario = try Scenario()
        let team = try ScenarioTeam(in: scenario)
        let root = try scenario.bootstrap(team.strictConfig(), signers: [team.a, team.b])
        let a = try HostTestServer(hook: { _ in try DehubBinary.require() })
        try a.start(adminKey: team.alice.privateKeyPath)
        let world = MirrorWorld(scenario: scenario, team: team, a: a, root: root, others: Box())
        try world.expectOK(a.ssh(["repo", "create", "project"], key: world.admin))
        try world.expectOK(world.push(["main"], to: a.sshURL("project")))
        return world
    }

    /// Another host with the real hook and alice as admin; `config` is written as its host-config.yml.
    func startHost(config: String? = nil) throws -> HostTestServer {
        let server = try HostTestServer(hook: { _ in try DehubBinary.require() })
        others.servers.append(server)
        if let config {
            try FileManager.default.createDirectory(atPath: server.data, withIntermediateDirectories: true)
            try config.write(toFile: server.data + "/host-config.yml", atomically: true, encoding: .utf8)
        }
        try server.start(adminKey: team.alice.privateKeyPath)
        return server
    }

    func stop() {
        for server in [a] + others.servers {
            server.stop()
            server.removeFiles()
        }
    }

    func push(_ arguments: [String], to url: String, key: String? = nil) throws -> HostCommandResult {
        try a.git(["push", "-q", url] + arguments, key: key ?? admin, in: scenario.work)
    }

    /// A ref of `repo` on `server`, read from its bare repository ("" when missing).
    func ref(_ ref: String, of repo: String = "project", on server: HostTestServer) throws -> String {
        try server.git(["--git-dir", server.data + "/repos/\(repo).git", "rev-parse", "--verify", "-q", ref]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `git ARGS` in the bare repository `repo` on `server`, behind the host's back (no hook runs).
    @discardableResult
    func behindTheHook(_ arguments: [String], repo: String = "project", on server: HostTestServer) throws -> String {
        try expectOK(server.git(["--git-dir", server.data + "/repos/\(repo).git"] + arguments)).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `mirror status --json` of `server`, decoded.
    func mirrorStatus(on server: HostTestServer) throws -> [[String: Any]] {
        let output = try expectOK(server.ssh(["mirror", "status", "--json"], key: admin)).stdout
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]] ?? []
    }

    func refState(_ ref: String, mirror: String = "project", on server: HostTestServer) throws -> [String: Any] {
        let status = try mirrorStatus(on: server).first { $0["name"] as? String == mirror }
        return (status?["refs"] as? [String: Any])?[ref] as? [String: Any] ?? [:]
    }

    /// A clone of `url` into the test's directory, verified from its root with `dehub verify --all`.
    func cloneVerifies(_ url: String, into name: String, on server: HostTestServer) throws -> String {
        let path = server.root + "/" + name
        try expectOK(server.git(["clone", "-q", url, path]))
        let verify = try scenario.run(scenario.dehubPath, ["verify", "--all", "--branch", "main"], in: path)
        #expect(verify.succeeded, "\(verify.stderrText)")
        return path
    }

    /// Waits until `condition` holds, up to `seconds`; returns whether it did.
    func waitUntil(_ seconds: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    @discardableResult
    func expectOK(_ result: HostCommandResult) throws -> HostCommandResult {
        guard result.status == 0 else { throw HostTestError("command failed (\(result.status)): \(result.output)") }
        return result
    }
}
