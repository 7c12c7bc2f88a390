import Subprocess
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a client process (`curl`, `ssh`) whose stdout is a stream: each chunk goes to `onOutput` as it arrives;
/// stderr is kept (its last 4 KiB) for the error message. The process is killed when the stream falls silent for
/// `readTimeout` (a host that vanished without closing the connection), when `onOutput` throws, or when the
/// calling task is cancelled.
struct StreamingProcess {
    struct Outcome: Sendable {
        var status: Int32
        var stderr: String
        var timedOut: Bool
    }

    struct Silent: Error {}

    static func run(
        _ executable: String, arguments: [String], environment: [String: String] = [:], input: [UInt8],
        readTimeout: Duration, onOutput: ([UInt8]) async throws -> Void
    ) async throws -> Outcome {
        // The child stays in the caller's process group: a terminal's Ctrl-C, or a supervisor that stops the group,
        // stops it too.
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .milliseconds(500))]
        var values: [Environment.Key: String?] = [:]
        for (key, value) in environment { values[Environment.Key(stringLiteral: key)] = value }
        let activity = Activity()
        let result = try await Subprocess.run(
            .name(executable), arguments: Arguments(arguments), environment: .inherit.updating(values),
            platformOptions: options, input: .inputWriter, output: .sequence, error: .sequence
        ) { execution -> (String, Bool) in
            try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask {
                    if !input.isEmpty { _ = try? await execution.standardInputWriter.write(input) }
                    try? await execution.standardInputWriter.finish()
                    var kept: [UInt8] = []
                    for try await chunk in execution.standardError {
                        kept += chunk.withUnsafeBytes { Array($0) }
                        if kept.count > 4096 { kept.removeFirst(kept.count - 4096) }
                    }
                    return String(decoding: kept, as: UTF8.self)
                }
                group.addTask {
                    while !Task.isCancelled {
                        let deadline = activity.last + readTimeout
                        if ContinuousClock.now >= deadline {
                            activity.timedOut = true
                            try? execution.send(signal: .kill)
                            return nil
                        }
                        try? await Task.sleep(until: deadline, clock: .continuous)
                    }
                    return nil
                }
                do {
                    for try await chunk in execution.standardOutput {
                        activity.touch()
                        try await onOutput(chunk.withUnsafeBytes { Array($0) })
                    }
                } catch {
                    try? execution.send(signal: .kill)
                    group.cancelAll()
                    throw error
                }
                var stderr = ""
                while let part = try await group.next() {
                    if let part {
                        stderr = part
                        break
                    }
                }
                group.cancelAll()
                return (stderr, activity.timedOut)
            }
        }
        let status: Int32
        switch result.terminationStatus {
        case .exited(let code): status = code
        case .signaled(let signal): status = 128 + signal
        }
        return Outcome(status: status, stderr: result.closureResult.0, timedOut: result.closureResult.1)
    }
}

/// When the stream last moved (shared by the reader and the watchdog).
final class Activity: Sendable {
    private let state = Mutex((last: ContinuousClock.now, timedOut: false))
    var last: ContinuousClock.Instant { state.withLock { $0.last } }
    var timedOut: Bool {
        get { state.withLock { $0.timedOut } }
        set { state.withLock { $0.timedOut = newValue } }
    }
    func touch() { state.withLock { $0.last = .now } }
}
