import Foundation
import Logging
import NIOCore
import NIOPosix
import Subprocess
import Synchronization

/// Runs `git upload-pack|receive-pack|upload-archive` for one connection, streaming both ways.
///
/// Every process is tied to its request: it runs in its own session (process group), and the first of these
/// ends it at once: the calling task is cancelled (the client went away), a write to the client fails, the
/// input fails (a reset, a body cut short, over its limit, corrupt gzip, a read timeout), or no byte moves for
/// `idleTimeout`. Then `GitRunControl` stops the whole group (SIGTERM, SIGKILL after a second for whatever is left,
/// so no `pack-objects` is left behind), tells the transport to drop the connection, makes sure a stopped push's
/// quarantine is gone, and the run throws; the slot is freed as soon as git is reaped.
public struct GitProcessRunner: Sendable {
    public let limiter: ProcessLimiter

    public init(limiter: ProcessLimiter) {
        self.limiter = limiter
        Self.ignoreSIGPIPE
    }

    private enum Part: Sendable { case input, error, watchdog }

    /// A write to a pipe whose reader died must be an error, not a signal that kills the host.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Runs the service and returns git's exit status.
    /// - Parameters:
    ///   - extraArguments: e.g. `--stateless-rpc`, `--advertise-refs`.
    ///   - environment: e.g. `GIT_PROTOCOL`.
    ///   - input: the client's bytes; nil when the service reads nothing. Its end closes git's stdin; its error
    ///     aborts the run.
    ///   - permit: a slot taken beforehand (HTTP takes it before answering 200, so that "busy" can be a 503);
    ///     nil: the runner takes one, waiting in the limiter's queue.
    ///   - idleTimeout: abort when no byte moved (to git's stdin, from its stdout or stderr) for this long; nil: never.
    ///   - onAbort: called once, with the failure, when the run is aborted (after git's group was killed).
    ///   - relay: when given, git's stdout goes straight into its channel, on that channel's event loop
    ///     (`GitOutputRelay`), and `stdout` is not called; a closed channel aborts the run.
    ///   - takeOutput: when given (and `relay` is not), git's stdout pipe goes to it as a non-blocking descriptor that
    ///     it owns and closes, with a function to call on every read; it returns once the output ended, and a throw
    ///     aborts the run (SSH: the connection's thread reads the pipe into the channel, `SSHDirectOutput`).
    ///   - stdout, stderr: called with each chunk, in order; a throw aborts the run.
    public func run<Input: AsyncSequence & Sendable>(
        _ service: GitService,
        repoPath: String,
        extraArguments: [String] = [],
        environment: [String: String] = [:],
        input: Input?,
        permit: ProcessLimiter.Permit? = nil,
        idleTimeout: Duration? = nil,
        onAbort: @escaping @Sendable (any Error) -> Void = { _ in },
        relay: GitOutputRelay? = nil,
        takeOutput: (@Sendable (Int32, _ onRead: @escaping @Sendable () -> Void) async throws -> Void)? = nil,
        stdout: (ByteBuffer) async throws -> Void = { _ in },
        stderr: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws -> Int32 where Input.Element == [UInt8] {
        let permit = if let permit { permit } else { try await limiter.acquire() }
        defer { permit.release() }
        var options = PlatformOptions()
        options.createSession = true
        // Subprocess's own teardown when the task is cancelled: the same as an abort (SIGTERM to the group, so that git
        // removes its quarantine itself; SIGKILL after a second).
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(1))]
        let started = StartedRun()
        let arguments = service.serverConfiguration + [service.subcommand] + extraArguments + [repoPath]
        let output = try GitOutputPipe()
        let result: ExecutionResult<GitRunControl, FileDescriptorOutput, SequenceOutput>
        do {
            result = try await Subprocess.run(
                GitLaunch.executable, arguments: Arguments(arguments), environment: GitLaunch.environment(environment),
                platformOptions: options, input: .inputWriter,
                output: .fileDescriptor(output.writeEnd, closeAfterSpawningProcess: true), error: .sequence
            ) { execution -> GitRunControl in
                let control = GitRunControl(
                    group: execution.processIdentifier.value, pushRepoPath: service.isPush ? repoPath : nil, onAbort: onAbort)
                started.control = control
                started.outputHandedOver = true
                await Self.stream(execution, control: control, input: input, idleTimeout: idleTimeout, stderr: stderr) {
                    if let relay {
                        try await output.relay(relay, onRead: { control.touch() }).get()
                    } else if let takeOutput {
                        try await output.handOver { try await takeOutput($0, { control.touch() }) }
                    } else {
                        // Consumed here, in the caller's task, and handed to `stdout` as NIO read it: no hop between
                        // tasks per chunk, no copy, and the caller may write to what it holds.
                        let reader = try await output.reader(on: MultiThreadedEventLoopGroup.singleton.next())
                        try await reader.executeThenClose { chunks in
                            for try await buffer in chunks {
                                control.touch()
                                try await stdout(buffer)
                            }
                        }
                    }
                }
                return control
            }
        } catch {
            if !started.outputHandedOver { output.closeUnread() }
            // Subprocess throws when the task was cancelled: the run was aborted all the same.
            if let control = started.control, let failure = control.failure {
                await Self.finish(control)
                throw failure
            }
            throw error
        }
        let control = result.closureResult
        if let failure = control.failure {
            await Self.finish(control)
            throw failure
        }
        switch result.terminationStatus {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }

    /// Moves bytes both ways until git's stdout ends (git exited, or an abort stopped it); `stdout` moves git's
    /// output and returns at its end.
    nonisolated(nonsending) private static func stream<Input: AsyncSequence & Sendable>(
        _ execution: Execution<CustomWriteInput, FileDescriptorOutput, SequenceOutput>, control: GitRunControl,
        input: Input?, idleTimeout: Duration?, stderr: @escaping @Sendable (ByteBuffer) async throws -> Void,
        stdout: () async throws -> Void
    ) async where Input.Element == [UInt8] {
        await withTaskCancellationHandler {
            await withTaskGroup(of: Part.self) { group in
                group.addTask {
                    await pump(input, to: execution.standardInputWriter, control: control)
                    return .input
                }
                group.addTask {
                    do {
                        for try await buffer in execution.standardError {
                            control.touch()
                            try await stderr(buffer.withUnsafeBytes { ByteBuffer(bytes: $0) })
                        }
                    } catch {
                        control.abort(error)
                    }
                    return .error
                }
                if let idleTimeout {
                    group.addTask {
                        await watch(control, idleTimeout: idleTimeout)
                        return .watchdog
                    }
                }
                if control.isPush {
                    group.addTask {
                        // Until the push's quarantine is known (a few reads every 100 ms while the pack streams).
                        while !Task.isCancelled, !control.learnQuarantine() {
                            try? await Task.sleep(for: .milliseconds(100))
                        }
                        return .watchdog
                    }
                }
                do {
                    try await stdout()
                } catch {
                    control.abort(error)
                }
                // git's stdout ended: it exited, or an abort stopped it. Read the rest of its stderr, then stop the
                // input (a client that keeps its side open until it has our answer) and the watchdog.
                while let part = await group.next(), part != .error {}
                group.cancelAll()
            }
        } onCancel: {
            control.abort(CancellationError())
        }
    }

    /// Ends an aborted run (waits for the group, kills what is left, removes a push's quarantine) in a task of its
    /// own: the caller may be cancelled, and the waits must still wait.
    private static func finish(_ control: GitRunControl) async {
        await Task { await control.finishAbort() }.value
    }

    /// Copies the client's bytes to git's stdin, then closes it. An error of the input aborts the run; a failed
    /// write only means that git closed its stdin (it may have finished early; its exit status tells).
    private static func pump<Input: AsyncSequence & Sendable>(
        _ input: Input?, to writer: StandardInputWriter, control: GitRunControl
    ) async where Input.Element == [UInt8] {
        if let input {
            do {
                writing: for try await chunk in input where !chunk.isEmpty {
                    control.touch()
                    do {
                        _ = try await writer.write(chunk)
                    } catch {
                        break writing
                    }
                }
            } catch {
                // Cancelled: git had already finished and the run stops reading the client; not a failure.
                if !Task.isCancelled { control.abort(error) }
            }
        }
        try? await writer.finish()
    }

    /// Aborts the run once no byte moved for `idleTimeout`.
    private static func watch(_ control: GitRunControl, idleTimeout: Duration) async {
        while !Task.isCancelled {
            let deadline = control.lastActivity + idleTimeout
            if ContinuousClock.now >= deadline {
                control.abort(GitIdleTimeout(seconds: idleTimeout.components.seconds))
                return
            }
            do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
        }
    }
}

/// The control of a run once git started (set inside Subprocess's closure, read after it threw).
private final class StartedRun: Sendable {
    private let value = Mutex<GitRunControl?>(nil)
    private let handedOver = Atomic<Bool>(false)

    var control: GitRunControl? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }

    /// Whether the read end of git's stdout went to `GitOutputPipe.reader` (which closes it on every way out).
    var outputHandedOver: Bool {
        get { handedOver.load(ordering: .acquiring) }
        set { handedOver.store(newValue, ordering: .releasing) }
    }
}
