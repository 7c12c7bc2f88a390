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

/// Runs a command synchronously for tests with the inherited environment plus overrides (see `ProcessRunner`:
/// a clean signal mask, output through files, the child's group killed at the time limit).
public enum CommandRunner {
    /// Long enough for a loaded machine; a child still running then is killed and reported as exit 137.
    public static let defaultTimeout: TimeInterval = 300

    /// Runs `executable` (a path, or a name looked up in `PATH`) and waits for it.
    /// `environment` adds variables to the inherited environment; a nil value removes one.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String] = [], environment: [String: String?] = [:],
        stdin: [UInt8] = [], workingDirectory: String? = nil
    ) throws -> CommandResult {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let outcome = try outcome(
            executable, arguments, environment: env, directory: workingDirectory, stdin: stdin, timeout: defaultTimeout)
        var stderr = outcome.stderr
        if outcome.timedOut { stderr += Array("\n(killed after \(Int(defaultTimeout)) s)\n".utf8) }
        return CommandResult(exitCode: outcome.status, stdout: outcome.stdout, stderr: stderr)
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

    /// `ProcessRunner.run`, with a child that could not start reported as `CommandFailure` (exit 127).
    static func outcome(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String?, stdin: [UInt8],
        timeout: TimeInterval
    ) throws -> ProcessRunner.Outcome {
        do {
            return try ProcessRunner.run(
                executable, arguments, environment: environment, directory: directory, stdin: stdin, timeout: timeout)
        } catch let error as ChildProcessError {
            throw CommandFailure(
                command: [executable] + arguments,
                result: CommandResult(exitCode: 127, stdout: [], stderr: Array(error.description.utf8)))
        }
    }
}
