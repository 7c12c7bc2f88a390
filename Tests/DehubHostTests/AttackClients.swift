import DehubTestSupport
import Foundation

/// A raw TCP connection from a chosen source address (any of 127.0.0.0/8 reaches the host on 127.0.0.1, so a
/// test can play clients at several addresses): for clients that misbehave on purpose.
final class RawConnection {
    let fd: Int32

    /// Connects from `source` to 127.0.0.1:`port`; nil when the connection cannot be made within `timeout`.
    init?(source: String, port: Int, timeout: Int = 5) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, source, &local.sin_addr)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, connected == 0 else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// What the peer sent until it closed, or until `timeout` seconds passed; `closed` tells which.
    func readAll(timeout: Double) -> (text: String, closed: Bool) {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000)))
            guard ready > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return (String(decoding: received, as: UTF8.self), true) }
            received += buffer[0..<count]
        }
        return (String(decoding: received, as: UTF8.self), false)
    }

    /// Whether the peer has closed (or reset) the connection: reads what is pending without waiting.
    var isClosedByPeer: Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 { continue }
            return count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
        }
    }

    deinit { Glibc.close(fd) }
}

/// A client started in the background whose stdin stays open until `stop()`, so it waits as long as the host
/// lets it (an `ssh` session, a `git upload-pack` that waits for its wants); output goes to files.
final class BackgroundClient {
    let process: ChildProcess
    private let stdinWrite: Int32
    let stdoutPath: String
    let stderrPath: String

    init(_ arguments: [String], environment: [String: String], directory: String) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw HostTestError("pipe failed") }
        let id = UUID().uuidString.prefix(8)
        stdoutPath = directory + "/bg-\(id).out"
        stderrPath = directory + "/bg-\(id).err"
        let out = open(stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let err = open(stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { Glibc.close(fds[0]); Glibc.close(out); Glibc.close(err) }
        process = try ChildProcess(
            arguments[0], Array(arguments.dropFirst()), environment: environment,
            stdin: fds[0], stdout: out, stderr: err)
        stdinWrite = fds[1]
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    /// Waits up to `timeout` seconds for the client to exit; its status, or nil while it still runs.
    func waitForExit(timeout: Double) -> Int32? { process.wait(timeout: timeout) }

    func stop() {
        Glibc.close(stdinWrite)
        if process.isRunning { _ = process.killAndWait() }
    }

    deinit { stop() }
}

/// Raises this process's open-file limit to its hard limit (children, the host among them, inherit it).
func raiseOpenFileLimit() -> Int {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    limit.rlim_cur = limit.rlim_max
    setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    return Int(limit.rlim_cur)
}

/// Seconds `body` took (for the figures the tests print; never asserted tightly).
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}
