import Foundation

/// Runs a command with exactly the given environment (nothing inherited), bytes on stdin, output collected through
/// files, and a time limit after which the command and its process group are killed (so a tool waiting for a
/// terminal cannot hang a test). See `ProcessRunner`.
public enum ScenarioProcess {
    /// The default time limit, generous for a loaded machine.
    public static let defaultTimeout: TimeInterval = 180

    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], stdin: [UInt8] = [],
        workingDirectory: String, timeout: TimeInterval = defaultTimeout
    ) throws -> CommandResult {
        let outcome = try CommandRunner.outcome(
            executable, arguments, environment: environment, directory: workingDirectory, stdin: stdin, timeout: timeout)
        if outcome.timedOut { throw ScenarioTimeout(command: [executable] + arguments, seconds: timeout) }
        return CommandResult(exitCode: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr)
    }
}

/// A command ran past its time limit and was killed.
public struct ScenarioTimeout: Error, CustomStringConvertible {
    public var command: [String]
    public var seconds: TimeInterval
    public var description: String { "\(command.joined(separator: " ")) did not finish within \(Int(seconds)) s" }
}
