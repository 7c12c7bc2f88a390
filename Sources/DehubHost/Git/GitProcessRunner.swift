import Foundation
import Logging
import NIOCore
import Subprocess

/// Runs `git upload-pack|receive-pack|upload-archive` for one connection, streaming both ways.
///
/// Every process is tied to its caller: it runs in its own session (process group), and when the
/// calling task is cancelled (the client went away), a write to the client fails, or the input
/// fails, the whole group is killed with SIGKILL, so no `pack-objects` is left behind.
public struct GitProcessRunner: Sendable {
    public let limiter: ProcessLimiter

    public init(limiter: ProcessLimiter) {
        self.limiter = limiter
        Self.ignoreSIGPIPE
    }

    private enum Stream: Sendable { case input, error }

    /// A write to a pipe whose reader died must be an error, not a signal that kills the host.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Runs the service and returns git's exit status.
    /// - Parameters:
    ///   - extraArguments: e.g. `--stateless-rpc`, `--advertise-refs`.
    ///   - environment: e.g. `GIT_PROTOCOL`.
    ///   - input: the client's bytes; nil when the service reads nothing.
    ///   - permit: a slot taken beforehand (HTTP takes it before answering 200, so that "busy" can be a 503);
    ///     nil: the runner takes one, waiting in the limiter's queue.
    ///   - stdout, stderr: called with each chunk, in order; a throw kills the process group.
    public func run<Input: AsyncSequence & Sendable>(
        _ service: GitService,
        repoPath: String,
        extraArguments: [String] = [],
        environment: [String: String] = [:],
        input: Input?,
        permit: ProcessLimiter.Permit? = nil,
        stdout: (ByteBuffer) async throws -> Void,
        stderr: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws -> Int32 where Input.Element == [UInt8] {
        let permit = if let permit { permit } else { try await limiter.acquire() }
        defer { permit.release() }
        var options = PlatformOptions()
        options.createSession = true
        let arguments = [service.subcommand] + extraArguments + [repoPath]
        let result = try await Subprocess.run(
            .name("git"), arguments: Arguments(arguments), environment: GitCommand.environment(environment),
            platformOptions: options, input: .inputWriter, output: .sequence, error: .sequence
        ) { execution in
            let killGroup: @Sendable () -> Void = { try? execution.send(signal: .kill, toProcessGroup: true) }
            try await withTaskCancellationHandler {
                try await withThrowingTaskGroup(of: Stream.self) { group in
                    group.addTask {
                        let writer = execution.standardInputWriter
                        if let input {
                            do {
                                for try await chunk in input where !chunk.isEmpty {
                                    _ = try await writer.write(chunk)
                                }
                            } catch is SubprocessError {
                                // git closed its stdin (it may have finished early); its exit status tells.
                            }
                        }
                        try? await writer.finish()
                        return .input
                    }
                    group.addTask {
                        for try await buffer in execution.standardError {
                            try await stderr(buffer.withUnsafeBytes { ByteBuffer(bytes: $0) })
                        }
                        return .error
                    }
                    do {
                        // stdout is read here, in the caller's task, and handed to `stdout` directly: no hop
                        // between tasks per chunk, and the caller may write to what it holds (HTTP's body writer).
                        for try await buffer in execution.standardOutput {
                            // One copy, straight into the buffer the transport writes.
                            try await stdout(buffer.withUnsafeBytes { ByteBuffer(bytes: $0) })
                        }
                        // Once git closed stdout and stderr it needs no more input: stop waiting for a
                        // client that keeps its side open until it has our answer.
                        while let done = try await group.next(), done != .error {}
                        group.cancelAll()
                    } catch {
                        killGroup()
                        group.cancelAll()
                        throw error
                    }
                }
            } onCancel: {
                killGroup()
            }
        }
        switch result.terminationStatus {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }
}
