import DehubTestSupport
import Foundation
import Testing

/// A cluster on one machine: a real three-member etcd (`EtcdCluster`), and `dehub-host` nodes on port 0 with the
/// real `dehub` binary as their hook, each in cluster mode under one key prefix. The team's repository `project`
/// (main needs change commits signed by 2 of alice, bob and carol; alice is every node's admin) is created on
/// node 0 and its main pushed there: the root of trust.
final class ClusterWorld: @unchecked Sendable {
    let etcd: EtcdCluster
    let scenario: Scenario
    let team: ScenarioTeam
    let prefix = "/test-\(UUID().uuidString.prefix(8))"
    private(set) var nodes: [HostTestServer] = []
    let hook: String

    var admin: String { team.alice.privateKeyPath }

    /// Extra host config lines for every node (e.g. `cluster_replicas: 2`).
    let configText: String
    /// The cluster secret nodes started from now on get (`--cluster-secret-file`; mode 0600, 48 random bytes).
    var secretFile: String

    init(nodes count: Int = 3, createProject: Bool = true, config: String = "") throws {
        configText = config
        secretFile = try Self.makeSecretFile()
        scenario = try Scenario()
        team = try ScenarioTeam(in: scenario)
        try scenario.bootstrap(team.strictConfig(), signers: [team.a, team.b])
        hook = try DehubBinary.require()
        etcd = try EtcdCluster()
        do {
            for _ in 0..<count { try addNode() }
            try waitForNodes(count)
            if createProject {
                try expectOK(nodes[0].ssh(["repo", "create", "project"], key: admin))
                try expectOK(push(["main"], over: nodes[0].sshURL("project"), key: admin))
            }
        } catch {
            stop()
            throw error
        }
    }

    /// Starts one more node (id `nN`).
    @discardableResult
    func addNode(extraArguments: [String] = []) throws -> HostTestServer {
        let hook = self.hook
        let server = try HostTestServer(hook: { _ in hook })
        if !configText.isEmpty {
            try FileManager.default.createDirectory(atPath: server.data, withIntermediateDirectories: true)
            try configText.write(toFile: server.data + "/host-config.yml", atomically: true, encoding: .utf8)
        }
        nodes.append(server)
        try start(nodes.count - 1, extraArguments: extraArguments)
        return server
    }

    func start(_ i: Int, extraArguments: [String] = []) throws {
        try nodes[i].start(
            adminKey: team.alice.privateKeyPath,
            extraArguments: [
                "--cluster-etcd", etcd.endpoints, "--node-id", "n\(i)", "--cluster-prefix", prefix, "--log-level", "info",
                "--cluster-secret-file", secretFile,
            ] + extraArguments)
    }

    /// A fresh secret file (another cluster's secret, when given to a node of this one).
    static func makeSecretFile(mode: Int = 0o600) throws -> String {
        let path = NSTemporaryDirectory() + "dehub-cluster-secret-\(UUID().uuidString)"
        var bytes = [UInt8](repeating: 0, count: 48)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: mode])
        return path
    }

    func stop() {
        if ProcessInfo.processInfo.environment["DEHUB_CLUSTER_DEBUG"] != nil {
            for (i, node) in nodes.enumerated() { print(node.lines.map { "node \(i): \($0)" }.joined(separator: "\n")) }
        }
        for node in nodes {
            node.stop()
            node.removeFiles()
        }
        etcd.stop()
        try? FileManager.default.removeItem(atPath: secretFile)
    }

    // MARK: - the store, read with curl (the tests stay synchronous; the client under test is not used to check itself)

    /// Every key under `prefix` + `sub` with its value.
    func storeKeys(_ sub: String) throws -> [String: String] {
        let key = prefix + sub
        var end = Array(key.utf8)
        end[end.count - 1] += 1
        let body = "{\"key\":\"\(Data(key.utf8).base64EncodedString())\",\"range_end\":\"\(Data(end).base64EncodedString())\"}"
        for member in etcd.members.indices where etcd.isRunning(member) {
            let result = try HostCommandRunner.run(
                ["curl", "-s", "-m", "5", "-X", "POST", etcd.members[member].clientURL + "/v3/kv/range", "-d", body],
                environment: ProcessInfo.processInfo.environment, timeout: 10)
            guard result.status == 0,
                let json = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                json["header"] != nil
            else { continue }
            var values: [String: String] = [:]
            for kv in json["kvs"] as? [[String: Any]] ?? [] {
                let k =
                    (kv["key"] as? String).flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
                let v =
                    (kv["value"] as? String).flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
                values[String(k.dropFirst(key.count))] = v
            }
            return values
        }
        throw HostTestError("no etcd member answered")
    }

    func storeRefs(_ repo: String = "project") throws -> [String: String] { try storeKeys("/refs/\(repo):") }

    func waitForNodes(_ count: Int, timeout: TimeInterval = 30) throws {
        try wait("\(count) nodes registered", timeout: timeout) { try storeKeys("/nodes/").count == count }
    }

    // MARK: - the nodes' copies

    func repoPath(_ i: Int, _ repo: String = "project") -> String { nodes[i].data + "/repos/\(repo).git" }

    /// A node's own value of `ref` (empty when absent), read from its copy, not through its routing.
    func localRef(_ i: Int, _ ref: String = "refs/heads/main") throws -> String {
        guard FileManager.default.fileExists(atPath: repoPath(i)) else { return "" }
        return try nodes[i].git(["--git-dir", repoPath(i), "rev-parse", "--verify", "-q", ref]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func localRefs(_ i: Int) throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: repoPath(i)) else { return [:] }
        let output = try nodes[i].git(["--git-dir", repoPath(i), "for-each-ref", "--format=%(refname) %(objectname)"]).stdout
        var refs: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { refs[String(parts[0])] = String(parts[1]) }
        }
        return refs
    }

    /// Waits until every node's copy holds what the store holds; the seconds it took.
    @discardableResult
    func waitConverged(timeout: TimeInterval = 30, nodes indices: [Int]? = nil) throws -> TimeInterval {
        let started = Date()
        do {
            try wait("every node in step with the store", timeout: timeout) {
                let refs = try storeRefs()
                return try (indices ?? Array(self.nodes.indices)).allSatisfy { try self.localRefs($0) == refs }
            }
        } catch {
            var report = ["store: \(try storeRefs())", "replicas: \(try storeKeys("/replicas/"))"]
            for i in indices ?? Array(nodes.indices) { report.append("node \(i): \(try localRefs(i))") }
            throw HostTestError("\(error): " + report.joined(separator: "\n"))
        }
        return Date().timeIntervalSince(started)
    }

    func wait(_ what: String, timeout: TimeInterval, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else { throw HostTestError("timed out waiting for \(what)") }
            usleep(20_000)
        }
    }

    /// No ref lock left in any copy, and `git fsck` is clean.
    func expectClean(sourceLocation: SourceLocation = #_sourceLocation) throws {
        for i in nodes.indices {
            let lockFiles =
                FileManager.default.enumerator(atPath: repoPath(i) + "/refs")?.compactMap { $0 as? String }
                .filter { $0.hasSuffix(".lock") } ?? []
            #expect(lockFiles.isEmpty, "node \(i): \(lockFiles)", sourceLocation: sourceLocation)
            let fsck = try nodes[i].git(["--git-dir", repoPath(i), "fsck", "--no-progress", "--no-dangling"])
            #expect(fsck.status == 0, "node \(i): \(fsck.output)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - clients

    func push(_ arguments: [String], over url: String, key: String? = nil, in folder: String? = nil) throws
        -> HostCommandResult
    {
        try nodes[0].git(["push", "-q", url] + arguments, key: key, in: folder ?? scenario.work)
    }

    @discardableResult
    func expectOK(_ result: HostCommandResult) throws -> HostCommandResult {
        guard result.status == 0 else { throw HostTestError("command failed (\(result.status)): \(result.output)") }
        return result
    }
}

extension EndToEnd {
    /// The cluster suites start etcd members and several hosts: they run one at a time, with the other end-to-end
    /// suites (never beside them: two sets of servers would compete for 2 cores).
    @Suite("Cluster", .serialized, .enabled(if: EtcdCluster.isAvailable))
    struct ClusterSuites {}
}

typealias ClusterSuites = EndToEnd.ClusterSuites
