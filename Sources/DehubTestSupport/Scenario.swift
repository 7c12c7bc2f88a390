import Foundation

/// One isolated world for an end-to-end test of the `dehub` binary: its own HOME (with `~/.ssh` and a global git
/// config), its own GNUPGHOME, a directory for key files, a developer's working repository (`work`) and a server's
/// bare repository (`server`). Every command runs with exactly `environment`: nothing of the test process leaks in
/// but PATH. Agents started here are stopped, and everything is deleted, when the scenario is released.
///
/// ```swift
/// let s = try Scenario()
/// let alice = try s.sshKey("alice")
/// try s.dehubOK("init", s.work)
/// ```
public final class Scenario: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public let dehubPath: String
    public let home: String
    /// Short (under /tmp) so that gpg-agent's socket path fits.
    public let gnupgHome: String
    /// Key files that are not in `~/.ssh`.
    public let keys: String
    /// The developer's working repository (not created until `dehub init` or `git clone` makes it).
    public let work: String
    /// The server's bare repository (not created until `makeServer`).
    public let server: String
    public var environment: [String: String]
    var agentPIDs: [pid_t] = []

    public init() throws {
        dehubPath = try DehubBinary.require()
        directory = try TemporaryDirectory(prefix: "dehub-e2e")
        home = directory.appending("home")
        keys = directory.appending("keys")
        work = directory.appending("work")
        server = directory.appending("server.git")
        var template = Array("/tmp/dehub-sg.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ScenarioError("mkdtemp failed for GNUPGHOME") }
        gnupgHome = String(cString: made)
        chmod(gnupgHome, 0o700)
        let files = FileManager.default
        for folder in [home, home + "/.ssh", keys, directory.appending("tmp")] {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        chmod(home + "/.ssh", 0o700)
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "GNUPGHOME": gnupgHome,
            "GIT_CONFIG_GLOBAL": home + "/.gitconfig",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "TMPDIR": directory.appending("tmp"),
            "LC_ALL": "C",
            "LANG": "C",
            "TZ": "UTC",
        ]
        let gitconfig = """
            [user]
            \tname = Dehub E2E
            \temail = e2e@example.com
            [init]
            \tdefaultBranch = main
            [advice]
            \tdetachedHead = false
            """
        try Data((gitconfig + "\n").utf8).write(to: URL(fileURLWithPath: home + "/.gitconfig"))
    }

    deinit {
        for pid in agentPIDs { kill(pid, SIGTERM) }
        _ = try? ScenarioProcess.run(
            "gpgconf", ["--homedir", gnupgHome, "--kill", "all"], environment: environment, workingDirectory: "/", timeout: 20)
        try? FileManager.default.removeItem(atPath: gnupgHome)
    }

    // MARK: - Running commands

    /// Runs any command in this scenario's environment (plus `extra`; an empty value removes a variable).
    public func run(
        _ executable: String, _ arguments: [String], in folder: String? = nil, stdin: [UInt8] = [],
        environment extra: [String: String] = [:]
    ) throws -> CommandResult {
        var env = environment
        for (key, value) in extra { env[key] = value.isEmpty ? nil : value }
        let cwd = folder ?? (FileManager.default.fileExists(atPath: work) ? work : directory.path)
        return try ScenarioProcess.run(executable, arguments, environment: env, stdin: stdin, workingDirectory: cwd)
    }

    /// Runs `dehub arguments` (in `work` unless told otherwise), whatever its exit code.
    @discardableResult
    public func dehub(
        _ arguments: String..., in folder: String? = nil, stdin: [UInt8] = [],
        environment extra: [String: String] = [:]
    ) throws -> CommandResult {
        try run(dehubPath, arguments, in: folder, stdin: stdin, environment: extra)
    }

    /// Runs `dehub arguments` given as an array, whatever its exit code.
    @discardableResult
    public func dehub(
        _ arguments: [String], in folder: String? = nil, stdin: [UInt8] = [],
        environment extra: [String: String] = [:]
    ) throws -> CommandResult {
        try run(dehubPath, arguments, in: folder, stdin: stdin, environment: extra)
    }

    /// Runs `dehub arguments` and throws unless it exits 0; returns stdout.
    @discardableResult
    public func dehubOK(_ arguments: String..., in folder: String? = nil) throws -> String {
        try checked(run(dehubPath, arguments, in: folder), ["dehub"] + arguments).stdoutText
    }

    /// Runs `dehub arguments` given as an array and throws unless it exits 0; returns stdout.
    @discardableResult
    public func dehubOK(_ arguments: [String], in folder: String? = nil) throws -> String {
        try checked(run(dehubPath, arguments, in: folder), ["dehub"] + arguments).stdoutText
    }

    /// Runs git (in `work` unless told otherwise), whatever its exit code.
    public func gitResult(
        _ arguments: [String], in folder: String? = nil, stdin: [UInt8] = [],
        environment extra: [String: String] = [:]
    ) throws -> CommandResult {
        try run("git", arguments, in: folder, stdin: stdin, environment: extra)
    }

    /// Runs git and throws unless it exits 0; returns stdout without its final newline.
    @discardableResult
    public func git(_ arguments: String..., in folder: String? = nil) throws -> String {
        try git(arguments, in: folder)
    }

    @discardableResult
    public func git(_ arguments: [String], in folder: String? = nil, stdin: [UInt8] = []) throws -> String {
        var text = try checked(gitResult(arguments, in: folder, stdin: stdin), ["git"] + arguments).stdoutText
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    private func checked(_ result: CommandResult, _ command: [String]) throws -> CommandResult {
        guard result.succeeded else { throw CommandFailure(command: command, result: result) }
        return result
    }

    // MARK: - Files

    /// Writes a file (creating parent directories) in the working repository, or under `root`.
    public func write(_ relative: String, _ contents: String, in root: String? = nil) throws {
        let file = (root ?? work) + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: file))
    }

    public func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    public func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}

/// Something a scenario could not set up.
public struct ScenarioError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
