import DehubTestSupport
import Foundation

/// A guarded repository (`server.git`, the hook's) served as a mirror, a directory holding `git-remote-dehub` (a
/// link to the dehub binary under test, which runs as the helper by that name) on PATH, and the ways a mirror lies.
struct RemoteHelperWorld {
    let s: Scenario
    let team: ScenarioTeam
    let bin: String

    init() throws {
        s = try Scenario()
        team = try s.guardedRepository()
        bin = s.directory.appending("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/git-remote-dehub", withDestinationPath: s.dehubPath)
    }

    var serverURL: String { "file://" + s.server }
    var environment: [String: String] { ["PATH": bin + ":" + (s.environment["PATH"] ?? "/usr/bin:/bin")] }
    func path(_ name: String) -> String { s.directory.appending(name) }

    /// git with the helper on PATH, in the scenario's directory unless told otherwise; whatever its exit code.
    func git(_ arguments: [String], in folder: String? = nil) throws -> CommandResult {
        try s.run("git", arguments, in: folder ?? s.directory.path, environment: environment)
    }

    func dehub(_ arguments: [String], in folder: String? = nil) throws -> CommandResult {
        try s.run(s.dehubPath, arguments, in: folder ?? s.directory.path, environment: environment)
    }

    /// `git clone dehub::URL NAME`; returns the clone's path.
    @discardableResult
    func clone(_ url: String? = nil, into name: String = "clone") throws -> (path: String, result: CommandResult) {
        let result = try git(["clone", "dehub::" + (url ?? serverURL), name])
        return (path(name), result)
    }

    func rev(_ revision: String, in repo: String) throws -> String? {
        let result = try s.gitResult(["rev-parse", "--verify", "-q", revision], in: repo)
        return result.succeeded ? result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    func hasObject(_ id: String, in repo: String) throws -> Bool {
        try s.gitResult(["cat-file", "-e", id], in: repo).succeeded
    }

    /// A signed change landed on main and pushed through the hook; returns main's new tip.
    @discardableResult
    func landAndPush(_ description: String) throws -> String {
        let tip = try s.landOnMain(
            description, files: ["\(description.count).txt": description + "\n"], author: team.a, reviewers: [team.b])
        try s.git("push", "-q", "origin", "main")
        return tip
    }

    /// Points `ref` of the bare repository `repo` at `commit` of the work repository, behind the hook's back.
    func force(_ ref: String, of repo: String, to commit: String) throws {
        try s.git("fetch", "-q", "file://" + s.work, "+\(commit):refs/tampered", in: repo)
        try s.git("update-ref", ref, commit, in: repo)
        try s.git("update-ref", "-d", "refs/tampered", in: repo)
    }

    /// An unsigned commit on top of main in the work repository (on no branch there).
    func unsignedCommit() throws -> String {
        let tree = try s.git("rev-parse", "main^{tree}")
        return try s.git(["commit-tree", tree, "-p", "main"], stdin: Array("Unsigned\n".utf8))
    }

    /// A commit that carries main's tip's message (payload and credentials) over another tree: credentials copied
    /// from another commit.
    func copiedCredentialCommit() throws -> String {
        let message = try s.message(of: "main")
        try s.write("copied.txt", "not what was signed\n")
        try s.git("add", "copied.txt")
        let tree = try s.git("write-tree")
        try s.git("reset", "-q", "--hard", "main")
        return try s.git(["commit-tree", tree, "-p", "main"], stdin: Array(message.utf8))
    }

    func root() throws -> String { try s.git("rev-list", "--max-parents=0", "main") }
}
