import DehubTestSupport
import Foundation

/// `dehub watch [--foreground] REMOTE` as a child with pipes: its stdout lines are collected as they come, lines
/// are written to its stdin, and `stop()` closes its stdin (it exits) and kills its group if it does not.
final class WatchTestClient: @unchecked Sendable {
    let process: ChildProcess
    private let stdinWrite: Int32
    private let lock = NSLock()
    private var collected: [String] = []
    private var stderrText = ""

    let foreground: Bool
    private var stopped = false

    init(in directory: String, remotes: [String], environment: [String: String], foreground: Bool = true) throws {
        self.foreground = foreground
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0], errors: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0, pipe(&errors) == 0 else { throw HostTestError("pipe failed") }
        for fd in input + output + errors { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        defer { Glibc.close(input[0]); Glibc.close(output[1]); Glibc.close(errors[1]) }
        process = try ChildProcess(
            try DehubBinary.require(), ["-C", directory, "watch"] + (foreground ? ["--foreground"] : []) + remotes,
            environment: environment,
            stdin: input[0], stdout: output[1], stderr: errors[1])
        stdinWrite = input[1]
        let out = output[0], err = errors[0]
        Thread.detachNewThread { [self] in self.read(out) { line in self.lock.withLock { self.collected.append(line) } } }
        Thread.detachNewThread { [self] in self.read(err) { line in self.lock.withLock { self.stderrText += line + "\n" } } }
    }

    private func read(_ fd: Int32, _ onLine: (String) -> Void) {
        defer { Glibc.close(fd) }
        var pending = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: 10) {
                onLine(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                pending = Data(pending[(newline + 1)...])
            }
        }
    }

    var lines: [String] { lock.withLock { collected } }
    var stderr: String { lock.withLock { stderrText } }

    func send(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(stdinWrite, $0.baseAddress, $0.count) }
    }

    /// Waits for a line after the first `after` lines that satisfies `match`; the line, or nil after `timeout` s.
    func waitForLine(after: Int = 0, timeout: Double, _ match: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = lines.dropFirst(after).first(where: match) { return line }
            usleep(10_000)
        }
        return nil
    }

    /// Closes stdin (the foreground protocol's end); without `--foreground`, stops the child's group at once.
    func stop() {
        guard !stopped else { return }
        stopped = true
        Glibc.close(stdinWrite)
        if !foreground || process.wait(timeout: 10) == nil { process.killAndWait() }
    }
}
