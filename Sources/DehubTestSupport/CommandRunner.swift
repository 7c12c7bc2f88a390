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
        let inURL = scratch.appendingPathComponent("in"), outURL = scratch.appendingPathComponent("out"),
            errURL = scratch.appendingPathComponent("err")
        try Data(stdin).write(to: inURL)
        files.createFile(atPath: outURL.path, contents: nil)
        files.createFile(atPath: errURL.path, contents: nil)

        let input = try FileHandle(forReadingFrom: inURL)
        let output = try FileHandle(forWritingTo: outURL)
        let error = try FileHandle(forWritingTo: errURL)
        defer { try? input.close(); try? output.close(); try? error.close() }

        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try resolve(executable, path: env["PATH"]))
        process.arguments = arguments
        process.environment = env
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        process.waitUntilExit()
        return CommandResult(
            exitCode: process.terminationStatus,
            stdout: Array(try Data(contentsOf: outURL)),
            stderr: Array(try Data(contentsOf: errURL)))
    }

    /// Like `run`, but throws `CommandFailure` unless the command exits 0.
    @discardableResult
    public static func check(
        _ executable: String, _ arguments: [String] = [], environment: [String: String?] = [:],
        stdin: [UInt8] = [], workingDirectory: String? = nil
    ) throws -> CommandResult {
        let result = try run(executable, arguments, environment: environment, stdin: stdin, workingDirectory: workingDirectory)
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
            command: [executable], result: CommandResult(exitCode: 127, stdout: [], stderr: Array("not found in PATH".utf8)))
    }
}
