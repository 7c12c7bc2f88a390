import Foundation

/// Runs a command with exactly the given environment (nothing inherited), bytes on stdin, output collected through
/// files, and a time limit after which the command is killed (so a tool waiting for a terminal cannot hang a test).
///
/// Like `CommandRunner` on the ssh branch it spawns with `posix_spawn` (empty signal mask, default handlers) and
/// reaps with `waitpid`: `Foundation.Process` hands children the test runner's blocked signals, so daemons such as
/// ssh-agent and gpg-agent could not be stopped, and it can miss the exit of a child that forks a daemon.
public enum ScenarioProcess {
    /// The default time limit, generous for a loaded machine.
    public static let defaultTimeout: TimeInterval = 180

    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], stdin: [UInt8] = [],
        workingDirectory: String, timeout: TimeInterval = defaultTimeout
    ) throws -> CommandResult {
        _ = ignoreSIGPIPE
        let scratch = try TemporaryDirectory(prefix: "dehub-proc")
        let inPath = scratch.appending("in"), outPath = scratch.appending("out"), errPath = scratch.appending("err")
        try Data(stdin).write(to: URL(fileURLWithPath: inPath))
        let path = try resolve(executable, path: environment["PATH"])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), defaults = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&defaults)
        for signal: Int32 in 1..<32 where signal != SIGKILL && signal != SIGSTOP { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // posix_spawn_file_actions_addchdir_np is not visible from Swift: change directory through sh.
        let command = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", workingDirectory, path] + arguments
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw CommandFailure(
                command: [executable] + arguments,
                result: CommandResult(exitCode: 127, stdout: [], stderr: Array("posix_spawn failed: \(spawned)".utf8)))
        }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECHILD) }
            if Date() > deadline {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                throw ScenarioTimeout(command: [executable] + arguments, seconds: timeout)
            }
            usleep(2_000)
        }
        // WIFEXITED / WEXITSTATUS are macros; a signal death is reported as 128 + signal, like a shell.
        let exitCode = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return CommandResult(
            exitCode: exitCode,
            stdout: Array(try Data(contentsOf: URL(fileURLWithPath: outPath))),
            stderr: Array(try Data(contentsOf: URL(fileURLWithPath: errPath))))
    }

    /// A child that exits before reading its stdin must not kill the test process.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    private static func resolve(_ executable: String, path: String?) throws -> String {
        if executable.contains("/") { return executable }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CommandFailure(
            command: [executable], result: CommandResult(exitCode: 127, stdout: [], stderr: Array("not found in PATH".utf8)))
    }
}

/// A command ran past its time limit and was killed.
public struct ScenarioTimeout: Error, CustomStringConvertible {
    public var command: [String]
    public var seconds: TimeInterval
    public var description: String { "\(command.joined(separator: " ")) did not finish within \(Int(seconds)) s" }
}
