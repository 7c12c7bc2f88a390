import DehubCore
import DehubReplication
import DehubTestSupport
import Foundation

/// A guarded repository (the hook's server, `server.git`) that replicas fetch from through file://, and the ways a
/// mirror of it can lie: history written behind the hook's back, rewound refs.
struct ReplicationWorld {
    let s: Scenario
    let team: ScenarioTeam

    init() throws {
        s = try Scenario()
        team = try s.guardedRepository()
    }

    var serverURL: String { "file://" + s.server }

    /// git runs with the scenario's own settings, never the machine's.
    var git: GitTool {
        GitTool(environment: ["GIT_CONFIG_GLOBAL": s.home + "/.gitconfig", "GIT_CONFIG_NOSYSTEM": "1", "HOME": s.home])
    }

    func cache(_ name: String = "cache.git") async throws -> ReplicaCache {
        try await ReplicaCache.open(at: s.directory.appending(name), git: git)
    }

    func replicator(_ urls: [String]? = nil, root: ObjectID? = nil, cache name: String = "cache.git") async throws
        -> Replicator
    {
        Replicator(
            cache: try await cache(name), sources: (urls ?? [serverURL]).map { ReplicationSource(url: $0) }, pinnedRoot: root)
    }

    /// A signed change landed on main and pushed through the hook; returns main's new tip.
    @discardableResult
    func landAndPush(_ description: String) throws -> String {
        let tip = try s.landOnMain(
            description, files: ["\(description.count).txt": description + "\n"], author: team.a, reviewers: [team.b])
        try s.git("push", "-q", "origin", "main")
        return tip
    }

    /// A copy of the server (a mirror), as a bare repository; returns its path.
    func mirror(_ name: String) throws -> String {
        let path = s.directory.appending(name)
        try s.git("clone", "-q", "--mirror", s.server, path, in: s.directory.path)
        return path
    }

    /// Points `ref` of the bare repository `repo` at `commit` of the work repository, behind the hook's back.
    func force(_ ref: String, of repo: String, to commit: String) throws {
        try s.git("fetch", "-q", "file://" + s.work, "+\(commit):refs/tampered", in: repo)
        try s.git("update-ref", ref, commit, in: repo)
        try s.git("update-ref", "-d", "refs/tampered", in: repo)
    }

    /// An unsigned commit on top of main in the work repository (not on any branch there).
    func unsignedCommit(on parent: String = "main") throws -> String {
        let tree = try s.git("rev-parse", "\(parent)^{tree}")
        return try s.git(["commit-tree", tree, "-p", parent], stdin: Array("Unsigned\n".utf8))
    }

    func id(_ hex: String) -> ObjectID { ObjectID(hex: hex)! }
}
