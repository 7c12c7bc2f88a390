import Foundation

/// The outcome of one finished command run by `GPGProcess`.
public struct GPGProcessResult: Sendable {
    public var exitCode: Int32
    public var stdout: [UInt8]
    public var stderr: String

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Failure of a command the tests expected to succeed.
public struct GPGProcessFailure: Error, CustomStringConvertible {
    public var description: String
}

/// Runs a command to completion with exactly `environment` (see `ProcessRunner`).
public enum GPGProcess {
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], input: [UInt8] = []
    ) throws -> GPGProcessResult {
        let outcome = try ProcessRunner.run(
            executable, arguments, environment: environment, stdin: input, timeout: CommandRunner.defaultTimeout)
        return GPGProcessResult(
            exitCode: outcome.status, stdout: outcome.stdout, stderr: String(decoding: outcome.stderr, as: UTF8.self))
    }
}
