import Foundation

/// The outcome of one finished command.
public struct CommandResult: Sendable {
    public var exitCode: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    public var succeeded: Bool { exitCode == 0 }
}

/// A command that exited non-zero under `CommandRunner.check`.
public struct CommandFailure: Error, CustomStringConvertible {
    public var command: [String]
    public var result: CommandResult
    public var description: String {
        "\(command.joined(separator: " ")) exited \(result.exitCode): \(result.stderrText)"
    }
}

/// Runs a command synchronously for tests: arguments, environment overrides, bytes on stdin, and
/// stdout/stderr collected through temporary files (so a chatty child can never deadlock on a full pipe).
///
/// It spawns with `posix_spawn` and waits with `waitpid` rather than using `Foundation.Process`: in the
/// test runner, Foundation's `Process` hands its children the spawning thread's signal mask (SIGTERM and
/// SIGCHLD blocked), so a daemon such as `ssh-agent` could not be stopped, and it did not notice the exit
/// of a child that forks a daemon, so `waitUntilExit` hung. Here the child gets an empty mask and default
/// signal handlers.
public enum CommandRunner {
    /// Runs `executable` (a path, or a name looked up in `PATH`) and waits for it.
    /// `environment` adds variables to the inherited environment; a nil value removes one.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String] = [], environment: [String: String?] = [:],
        stdin: [UInt8] = [], workingDirectory: String? = nil
    ) throws -> CommandResult {
        let files = FileManager.default
        let scratch = files.temporaryDirectory.appendingPathComponent("cmd-\(UUID().uuidString)")
        try files.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? files.removeItem(at: scratch) }
        let inPath = scratch.appendingPathComponent("in").path
        let outPath = scratch.appendingPathComponent("out").path
        let errPath = scratch.appendingPathComponent("err").path
        try Data(stdin).write(to: URL(fileURLWithPath: inPath))

        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let path = try resolve(executable, path: env["PATH"])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        var defaults = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&defaults)
        for signal: Int32 in 1..<32 where signal != SIGKILL && signal != SIGSTOP { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // glibc's posix_spawn_file_actions_addchdir_np is not visible from Swift: change directory through sh.
        let command = workingDirectory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0, path] } ?? [path]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid = pid_t()
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw CommandFailure(
                command: [executable] + arguments,
                result: CommandResult(exitCode: 127, stdout: [], stderr: Array("posix_spawn failed: \(spawned)".utf8)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECHILD) }
        }
        // WIFEXITED / WEXITSTATUS are macros; a signal death is reported as 128 + signal, like a shell.
        let exitCode = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return CommandResult(
            exitCode: exitCode,
            stdout: Array(try Data(contentsOf: URL(fileURLWithPath: outPath))),
            stderr: Array(try Data(contentsOf: URL(fileURLWithPath: errPath))))
    }

    /// Like `run`, but throws `CommandFailure` unless the command exits 0.
    @discardableResult
    public static func check(
        _ executable: String, _ arguments: [String] = [], environment: [String: String?] = [:],
        stdin: [UInt8] = [], workingDirectory: String? = nil
    ) throws -> CommandResult {
        let result = try run(
            executable, arguments, environment: environment, stdin: stdin, workingDirectory: workingDirectory)
        guard result.succeeded else { throw CommandFailure(command: [executable] + arguments, result: result) }
        return result
    }

    private static func resolve(_ executable: String, path: String?) throws -> String {
        if executable.contains("/") { return executable }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CommandFailure(
            command: [executable],
            result: CommandResult(exitCode: 127, stdout: [], stderr: Array("not found in PATH".utf8)))
    }
}
