import Foundation

/// Runs a command with exactly the given environment (nothing inherited), bytes on stdin, output collected through
/// files, and a time limit after which the command is killed (so a tool waiting for a terminal cannot hang a test).
public enum ScenarioProcess {
    /// The default time limit, generous for a loaded machine.
    public static let defaultTimeout: TimeInterval = 120

    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], stdin: [UInt8] = [],
        workingDirectory: String, timeout: TimeInterval = defaultTimeout
    ) throws -> CommandResult {
        _ = ignoreSIGPIPE
        let files = FileManager.default
        let scratch = try TemporaryDirectory(prefix: "dehub-proc")
        let inPath = scratch.appending("in"), outPath = scratch.appending("out"), errPath = scratch.appending("err")
        try Data(stdin).write(to: URL(fileURLWithPath: inPath))
        files.createFile(atPath: outPath, contents: nil)
        files.createFile(atPath: errPath, contents: nil)
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer { try? input.close(); try? output.close(); try? error.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try resolve(executable, path: environment["PATH"]))
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            throw ScenarioTimeout(command: [executable] + arguments, seconds: timeout)
        }
        return CommandResult(
            exitCode: process.terminationStatus,
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
