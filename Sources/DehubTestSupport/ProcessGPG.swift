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

/// Runs a command to completion, feeding stdin and draining stdout and stderr concurrently.
public enum GPGProcess {
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], input: [UInt8] = []
    ) throws -> GPGProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()

        let group = DispatchGroup()
        nonisolated(unsafe) var errorBytes = Data()
        DispatchQueue.global().async(group: group) {
            errorBytes = stderr.fileHandleForReading.readDataToEndOfFile()
        }
        DispatchQueue.global().async(group: group) {
            if !input.isEmpty { try? stdin.fileHandleForWriting.write(contentsOf: input) }
            try? stdin.fileHandleForWriting.close()
        }
        let outputBytes = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return GPGProcessResult(
            exitCode: process.terminationStatus, stdout: Array(outputBytes), stderr: String(decoding: errorBytes, as: UTF8.self)
        )
    }
}
