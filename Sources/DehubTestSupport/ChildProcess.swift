import CChildSpawn
import Foundation

/// One spawned child for tests, the only way test support starts a process.
///
/// Not `Foundation.Process`: in the test runner every thread (Swift concurrency's pool, Dispatch's workers)
/// blocks nearly every signal, and `Process` hands that mask to its children. A `sh` that then waits for its
/// child never sees SIGCHLD and hangs, a client killed with SIGTERM at a time limit keeps running, and a
/// daemon such as ssh-agent cannot be stopped. Here a child gets an empty signal mask, default handlers,
/// no descriptor but its three standard ones, and (when asked) its own process group, so a time limit
/// kills it with everything it started.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    public let ownsGroup: Bool
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable` (a path, or a name looked up in the environment's `PATH`).
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
        stdin: Int32, stdout: Int32, stderr: Int32, newProcessGroup: Bool = true
    ) throws {
        _ = Self.ignoreSIGPIPE
        let path = try Self.resolve(executable, path: environment["PATH"])
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let spawned = dehub_child_spawn(&pid, path, argv, envp, directory, stdin, stdout, stderr, newProcessGroup ? 1 : 0)
        guard spawned == 0 else {
            throw ChildProcessError("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        self.ownsGroup = newProcessGroup
    }

    /// The exit status once reaped: the exit code, or 128 + signal like a shell.
    public var exitStatus: Int32? { lock.withLock { status } }
    public var isRunning: Bool { poll() == nil }

    /// Reaps the child if it has exited.
    @discardableResult
    public func poll() -> Int32? {
        lock.withLock {
            if let status { return status }
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            guard reaped == pid else { return nil }
            status = Self.decode(raw)
            return status
        }
    }

    /// Waits for the child, at most `timeout` seconds when given; nil when it is still running.
    @discardableResult
    public func wait(timeout: TimeInterval? = nil) -> Int32? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            if let status = poll() { return status }
            if let deadline, Date() >= deadline { return nil }
            usleep(2_000)
        }
    }

    /// Sends `signal` to the child's whole process group (or to the child alone when it has none).
    public func signal(_ signal: Int32) {
        guard poll() == nil else {
            // The leader is gone; members of its group may remain.
            if ownsGroup { kill(-pid, signal) }
            return
        }
        if ownsGroup { kill(-pid, signal) } else { kill(pid, signal) }
    }

    /// SIGKILL to the group, then reaps the child.
    @discardableResult
    public func killAndWait() -> Int32 {
        signal(SIGKILL)
        return wait() ?? 137
    }

    private static func decode(_ raw: Int32) -> Int32 {
        // WIFEXITED / WEXITSTATUS are macros; a signal death is reported as 128 + signal, like a shell.
        raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }

    /// A child that exits before reading its stdin must not kill the test process.
    private static let ignoreSIGPIPE: Void = { _ = Foundation.signal(SIGPIPE, SIG_IGN) }()

    static func resolve(_ executable: String, path: String?) throws -> String {
        if executable.contains("/") { return executable }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ChildProcessError("\(executable) not found in PATH")
    }
}

/// A child could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Runs a command to completion: bytes on stdin, stdout and stderr collected through files (a chatty child
/// can never block on a full pipe), and a time limit after which the child's whole group is killed.
public enum ProcessRunner {
    public struct Outcome: Sendable {
        /// The exit code, or 128 + signal.
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        /// Killed at the time limit.
        public var timedOut: Bool
    }

    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
        stdin: [UInt8] = [], timeout: TimeInterval? = nil
    ) throws -> Outcome {
        let scratch = try TemporaryDirectory(prefix: "dehub-proc")
        let inPath = scratch.appending("in"), outPath = scratch.appending("out"), errPath = scratch.appending("err")
        try Data(stdin).write(to: URL(fileURLWithPath: inPath))
        let input = open(inPath, O_RDONLY | O_CLOEXEC)
        let output = open(outPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let error = open(errPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { [input, output, error].filter { $0 >= 0 }.forEach { close($0) } }
        guard input >= 0, output >= 0, error >= 0 else { throw ChildProcessError("cannot open scratch files in \(scratch.path)") }

        let child = try ChildProcess(
            executable, arguments, environment: environment, directory: directory, stdin: input, stdout: output, stderr: error)
        var timedOut = false
        var status = child.wait(timeout: timeout)
        if status == nil {
            timedOut = true
            status = child.killAndWait()
        }
        return Outcome(
            status: status ?? 137,
            stdout: Array(try Data(contentsOf: URL(fileURLWithPath: outPath))),
            stderr: Array(try Data(contentsOf: URL(fileURLWithPath: errPath))),
            timedOut: timedOut)
    }
}
