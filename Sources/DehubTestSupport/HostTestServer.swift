import Foundation

/// A `dehub-host serve` process on 127.0.0.1 port 0 for end-to-end tests, with an isolated
/// environment (HOME, GIT_CONFIG_GLOBAL), and keys made with ssh-keygen. `stop()` sends SIGTERM,
/// then SIGKILL if it lingers; every test must call it (use `defer`).
public final class HostTestServer: @unchecked Sendable {
    public let root: String
    public let data: String
    public let home: String
    public let hook: String
    public private(set) var sshPort = 0
    public private(set) var httpPort = 0
    /// The `sh` wrapper that runs the server (see `start`).
    public private(set) var process: ChildProcess?
    /// The server itself.
    public private(set) var serverPID: pid_t = 0
    private var lifeline: Int32?
    private var outputLines: [String] = []
    private let lock = NSLock()

    /// The built `dehub-host`: `DEHUB_HOST_BINARY`, else next to the test bundle.
    public static func binary() -> String {
        if let path = ProcessInfo.processInfo.environment["DEHUB_HOST_BINARY"] { return path }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
        if dir.path.hasSuffix(".xctest/Contents/MacOS") { dir = dir.deletingLastPathComponent().deletingLastPathComponent() }
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("dehub-host").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug/dehub-host"
    }

    public init(hook: ((String) throws -> String)? = nil) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("dehub-host-\(UUID().uuidString)").path
        data = root + "/data"
        home = root + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        self.hook = try (hook ?? HostHook.standIn)(root)
    }

    /// The environment for clients: isolated HOME and git config, no prompts.
    public var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = home
        env["GIT_CONFIG_GLOBAL"] = home + "/.gitconfig"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["GIT_AUTHOR_NAME"] = "Test"
        env["GIT_AUTHOR_EMAIL"] = "test@example.org"
        env["GIT_COMMITTER_NAME"] = "Test"
        env["GIT_COMMITTER_EMAIL"] = "test@example.org"
        env["GIT_AUTHOR_DATE"] = "2026-01-01T00:00:00Z"
        env["GIT_COMMITTER_DATE"] = "2026-01-01T00:00:00Z"
        for key in ["GIT_SSH_COMMAND", "GIT_DIR", "GIT_WORK_TREE", "SSH_AUTH_SOCK", "GIT_ASKPASS", "SSH_ASKPASS"] {
            env.removeValue(forKey: key)
        }
        return env
    }

    /// Makes a key pair `NAME` (`ed25519`, `ecdsa` or `rsa`) in the test's directory; returns the private key path.
    @discardableResult
    public func makeKey(_ name: String, type: String = "ed25519") throws -> String {
        let path = root + "/" + name
        let result = try HostCommandRunner.run(
            ["ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", path], environment: environment)
        guard result.status == 0 else { throw HostTestError("ssh-keygen failed: \(result.output)") }
        return path
    }

    /// Starts `dehub-host serve` and waits for its "ready" line.
    /// `ports`: listen on these (a restart on the ports clients know) instead of ports the system picks.
    public func start(adminKey: String? = nil, extraArguments: [String] = [], ports: (ssh: Int, http: Int)? = nil) throws {
        // A small sh wrapper holds a pipe from this process: if the test process dies, `read` returns
        // and the wrapper stops the server, so no server outlives its test run.
        let wrapper = #"""
            "$@" & pid=$!
            echo "server pid $pid"
            read _ignored
            kill -TERM $pid 2>/dev/null
            wait $pid
            """#
        var arguments = [
            "-c", wrapper, "sh", Self.binary(), "serve", "--data", data, "--ssh", "127.0.0.1:\(ports?.ssh ?? 0)", "--http",
            "127.0.0.1:\(ports?.http ?? 0)",
            "--hook", hook,
            "--log-level", "warning",
        ]
        if let adminKey { arguments += ["--admin-key", adminKey + ".pub"] }
        let output = try Self.pipe(), lifeline = try Self.pipe()
        defer { close(output.write); close(lifeline.read) }
        sshPort = 0
        httpPort = 0
        serverPID = 0
        let process = try ChildProcess(
            "/bin/sh", arguments + extraArguments, environment: environment, stdin: lifeline.read, stdout: output.write,
            stderr: output.write)
        self.process = process
        self.lifeline = lifeline.write
        let ready = DispatchSemaphore(value: 0)
        let reader = output.read
        Thread.detachNewThread { [self] in
            defer { close(reader) }
            var pending = Data()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(reader, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return }
                pending.append(contentsOf: buffer[0..<count])
                while let newline = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending = Data(pending[(newline + 1)...])
                    self.record(line, ready: ready)
                }
            }
        }
        guard ready.wait(timeout: .now() + 60) == .success, sshPort > 0, httpPort > 0, serverPID > 0 else {
            stop()
            throw HostTestError("dehub-host did not start: \(lines)")
        }
    }

    private func record(_ line: String, ready: DispatchSemaphore) {
        lock.withLock { outputLines.append(line) }
        if line.hasPrefix("server pid ") { serverPID = pid_t(line.dropFirst("server pid ".count)) ?? 0 }
        if line.hasPrefix("ssh listening on ") { sshPort = Int(line.split(separator: ":").last ?? "") ?? 0 }
        if line.hasPrefix("http listening on ") { httpPort = Int(line.split(separator: ":").last ?? "") ?? 0 }
        if line == "ready" { ready.signal() }
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { throw HostTestError("pipe failed: errno \(errno)") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    public var lines: [String] { lock.lock(); defer { lock.unlock() }; return outputLines }

    /// Waits until the server printed `line`; false after `timeout` seconds.
    public func waitForLine(_ line: String, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !lines.contains(line) {
            guard Date() < deadline else { return false }
            usleep(20_000)
        }
        return true
    }

    /// SIGTERM to the server, wait up to `grace` seconds, then SIGKILL to the wrapper's whole group.
    public func stop(grace: TimeInterval = 20) {
        guard let process, process.isRunning else { return }
        if serverPID > 0 { kill(serverPID, SIGTERM) }
        closeLifeline()
        if process.wait(timeout: grace) == nil { process.killAndWait() }
    }

    /// SIGKILL to the server at once (crash tests).
    public func crash() {
        guard let process, process.isRunning else { return }
        if serverPID > 0 { kill(serverPID, SIGKILL) }
        closeLifeline()
        if process.wait(timeout: 20) == nil { process.killAndWait() }
    }

    private func closeLifeline() {
        if let lifeline { close(lifeline) }
        lifeline = nil
    }

    public func removeFiles() { try? FileManager.default.removeItem(atPath: root) }

    public func sshCommand(key: String?) -> String {
        var command =
            "ssh -p \(sshPort) -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
            + " -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=20"
        command += key.map { " -i \($0)" } ?? " -o IdentityFile=none"
        return command
    }

    public func sshURL(_ name: String, user: String = "git") -> String { "ssh://\(user)@127.0.0.1:\(sshPort)/\(name).git" }
    public func httpURL(_ name: String) -> String { "http://127.0.0.1:\(httpPort)/\(name).git" }

    /// `ssh [key] USER@127.0.0.1 COMMAND...` against the server.
    public func ssh(_ command: [String], key: String?, user: String = "git", timeout: TimeInterval = 60) throws
        -> HostCommandResult
    {
        try HostCommandRunner.run(
            ["sh", "-c", sshCommand(key: key) + " \(user)@127.0.0.1 \"$@\"", "ssh"] + command,
            environment: environment, timeout: timeout)
    }

    /// `git ARGS` with GIT_SSH_COMMAND set to the server's port and `key`.
    public func git(
        _ arguments: [String], key: String? = nil, in directory: String? = nil,
        extraEnvironment: [String: String] = [:], timeout: TimeInterval = 120
    ) throws -> HostCommandResult {
        var env = environment
        env["GIT_SSH_COMMAND"] = sshCommand(key: key)
        env.merge(extraEnvironment) { $1 }
        return try HostCommandRunner.run(["git"] + arguments, environment: env, directory: directory, timeout: timeout)
    }

    /// A work tree at `root/NAME` with one commit whose message is `message`.
    public func makeWorkTree(_ name: String, message: String, file: String = "README", content: String = "hello\n") throws
        -> String
    {
        let path = root + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        _ = try git(["init", "-q", "-b", "main", path])
        try commit(in: path, message: message, file: file, content: content)
        return path
    }

    public func commit(in path: String, message: String, file: String = "README", content: String? = nil) throws {
        try (content ?? UUID().uuidString + "\n").write(toFile: path + "/" + file, atomically: true, encoding: .utf8)
        _ = try git(["add", "-A"], in: path)
        let result = try git(["commit", "-q", "-m", message], in: path)
        guard result.status == 0 else { throw HostTestError("commit failed: \(result.output)") }
    }
}

public struct HostTestError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
