import Foundation

/// Runs a command to completion for host tests: captured output, an environment, a time limit
/// after which the command's whole process group is killed (so a hung client never hangs the suite).
public struct HostCommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var output: String { stdout + stderr }
}

public enum HostCommandRunner {
    public static func run(
        _ arguments: [String], environment: [String: String], directory: String? = nil,
        input: Data? = nil, timeout: TimeInterval = 60
    ) throws -> HostCommandResult {
        let outcome = try ProcessRunner.run(
            arguments[0], Array(arguments.dropFirst()), environment: environment, directory: directory,
            stdin: input.map(Array.init) ?? [], timeout: timeout)
        return HostCommandResult(
            status: outcome.status, stdout: String(decoding: outcome.stdout, as: UTF8.self),
            stderr: String(decoding: outcome.stderr, as: UTF8.self) + (outcome.timedOut ? "\n(killed after \(timeout) s)\n" : ""))
    }
}
