import Foundation

/// A throw-away git repository for tests, driven by the real `git` CLI in an isolated environment:
/// its own HOME, no global or system config, fixed identity and dates, C locale, UTC.
///
/// ```swift
/// let repo = try GitFixture.make()
/// try repo.write("a.txt", "x")
/// let id = try repo.commit("first")          // add -A + commit, returns the commit id
/// let log = try repo.git("log", "--oneline")  // stdout, trailing newline removed
/// ```
/// The directory is deleted when the fixture is released.
public final class GitFixture: @unchecked Sendable {
    /// The work tree, or the repository itself when bare.
    public let path: String
    public let isBare: Bool
    /// The isolated HOME (empty, inside the temporary directory).
    public let home: String
    /// The environment every `git` call gets (nothing is inherited from the test process but PATH).
    /// Change it to add variables for later calls.
    public var environment: [String: String]
    /// The temporary directory holding the repository and HOME; keep the fixture alive to keep it.
    public let directory: TemporaryDirectory

    /// The first commit date (`@1700000000 +0000`); `commit` moves it on one minute per commit.
    public static let baseDate: Int = 1_700_000_000
    private var commitCount = 0

    /// Creates a repository whose HEAD is `refs/heads/<initialBranch>`.
    public static func make(bare: Bool = false, initialBranch: String = "main") throws -> GitFixture {
        let directory = try TemporaryDirectory(prefix: "dehub-git")
        let path = directory.appending(bare ? "repo.git" : "repo")
        let fixture = try GitFixture(directory: directory, path: path, bare: bare)
        try fixture.run(
            ["init", "--quiet", "--initial-branch=\(initialBranch)"] + (bare ? ["--bare"] : []) + [path],
            in: directory.path)
        return fixture
    }

    /// The isolated environment for a HOME, with no git-related variables of the test process.
    public static func isolatedEnvironment(home: String) -> [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Dehub Test",
            "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Dehub Test",
            "GIT_COMMITTER_EMAIL": "test@example.com",
            "GIT_AUTHOR_DATE": "@\(baseDate) +0000",
            "GIT_COMMITTER_DATE": "@\(baseDate) +0000",
            "GIT_TERMINAL_PROMPT": "0",
            "LC_ALL": "C",
            "LANG": "C",
            "TZ": "UTC",
        ]
    }

    private init(directory: TemporaryDirectory, path: String, bare: Bool) throws {
        self.directory = directory
        self.path = path
        self.isBare = bare
        self.home = directory.appending("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        self.environment = GitFixture.isolatedEnvironment(home: home)
    }

    // MARK: - Running git

    /// What a finished command produced.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs `git args...` in the repository; throws on a non-zero exit. Returns stdout without its final newline.
    @discardableResult
    public func git(_ arguments: String...) throws -> String {
        try git(arguments)
    }

    /// Runs `git arguments` in the repository; throws on a non-zero exit. Returns stdout without its final newline.
    @discardableResult
    public func git(_ arguments: [String], input: [UInt8]? = nil, environment extra: [String: String] = [:]) throws -> String {
        var text = try run(arguments, input: input, environment: extra).stdoutText
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// Runs `git arguments` (in `directory`, by default the repository) and returns its output whatever the exit
    /// status.
    public func gitOutput(
        _ arguments: [String], input: [UInt8]? = nil, environment extra: [String: String] = [:], in directory: String? = nil
    ) throws -> Output {
        try GitProcess.run(
            arguments, in: directory ?? path, environment: environment.merging(extra) { $1 }, input: input)
    }

    @discardableResult
    private func run(
        _ arguments: [String], input: [UInt8]? = nil, environment extra: [String: String] = [:], in directory: String? = nil
    ) throws -> Output {
        let output = try gitOutput(arguments, input: input, environment: extra, in: directory)
        guard output.status == 0 else {
            throw GitFixtureError(
                message: "git \(arguments.joined(separator: " ")) exited with \(output.status): \(output.stderrText)")
        }
        return output
    }

    // MARK: - Files

    /// The absolute path of `relative` in the work tree.
    public func absolutePath(_ relative: String) -> String { path + "/" + relative }

    /// Writes a file (creating parent directories), optionally executable.
    public func write(_ relative: String, _ contents: String, executable: Bool = false) throws {
        try write(relative, bytes: Array(contents.utf8), executable: executable)
    }

    public func write(_ relative: String, bytes: [UInt8], executable: Bool = false) throws {
        let file = absolutePath(relative)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: file) || isSymlink(file) { try FileManager.default.removeItem(atPath: file) }
        guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else {
            throw GitFixtureError(message: "cannot write \(file)")
        }
        try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: file)
    }

    /// Makes `relative` a symbolic link to `target`.
    public func symlink(_ relative: String, to target: String) throws {
        let file = absolutePath(relative)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: file) || isSymlink(file) { try FileManager.default.removeItem(atPath: file) }
        try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: target)
    }

    /// Deletes a file or directory of the work tree.
    public func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: absolutePath(relative))
    }

    /// Reads a file of the work tree as text.
    public func read(_ relative: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: absolutePath(relative)) else {
            throw GitFixtureError(message: "cannot read \(absolutePath(relative))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    private func isSymlink(_ file: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: file)[.type] as? FileAttributeType) == .typeSymbolicLink
    }

    // MARK: - Commits and history

    /// Stages everything (`add -A`) unless `stageAll` is false, then commits with the next fixed date
    /// (one minute after the previous commit). Returns the new commit's id. Empty commits are allowed.
    @discardableResult
    public func commit(_ message: String, stageAll: Bool = true) throws -> String {
        if stageAll { try git("add", "-A") }
        let date = "@\(GitFixture.baseDate + 60 * commitCount) +0000"
        commitCount += 1
        try run(
            ["commit", "--quiet", "--allow-empty", "--cleanup=verbatim", "-F", "-"],
            input: Array(message.utf8),
            environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
        return try git("rev-parse", "HEAD")
    }

    /// `git rev-parse <revision>`.
    public func revParse(_ revision: String) throws -> String {
        try git("rev-parse", "--verify", "--quiet", revision)
    }

    /// `git config key value` in this repository.
    public func setConfig(_ key: String, _ value: String) throws {
        try git("config", key, value)
    }

    /// Clones this repository into a new fixture (bare or not), with the same isolated environment.
    public func clone(bare: Bool = false) throws -> GitFixture {
        let directory = try TemporaryDirectory(prefix: "dehub-clone")
        let target = directory.appending(bare ? "clone.git" : "clone")
        let fixture = try GitFixture(directory: directory, path: target, bare: bare)
        try fixture.run(["clone", "--quiet"] + (bare ? ["--bare"] : []) + ["file://" + path, target], in: directory.path)
        return fixture
    }

    /// Installs an executable hook script (`pre-receive`, `update`, ...) in this repository.
    public func installHook(_ name: String, script: String) throws {
        let hooks = isBare ? path + "/hooks" : path + "/.git/hooks"
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
        let file = hooks + "/" + name
        guard FileManager.default.createFile(atPath: file, contents: Data(script.utf8)) else {
            throw GitFixtureError(message: "cannot write hook \(file)")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file)
    }
}

/// A git command run by a fixture failed, or a fixture file could not be written.
public struct GitFixtureError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Runs git with an explicit environment (see `ProcessRunner`).
private enum GitProcess {
    static func run(_ arguments: [String], in directory: String, environment: [String: String], input: [UInt8]?) throws
        -> GitFixture.Output
    {
        let outcome: ProcessRunner.Outcome
        do {
            outcome = try ProcessRunner.run(
                "git", arguments, environment: environment, directory: directory, stdin: input ?? [],
                timeout: CommandRunner.defaultTimeout)
        } catch let error as ChildProcessError {
            throw GitFixtureError(message: error.description)
        }
        return GitFixture.Output(status: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr)
    }
}
