import Foundation

/// A real etcd cluster for tests: `members` etcd processes on free loopback ports, with short heartbeat and
/// election timeouts, each in its own data directory. Members can be stopped, killed and started again; every
/// process runs under a small `sh` wrapper that holds a pipe from the test process, so no etcd outlives its test
/// run. Call `stop()` (use `defer`).
public final class EtcdCluster: @unchecked Sendable {
    public struct Member: Sendable {
        public let name: String
        public let clientPort: Int
        public let peerPort: Int
        public let dataDirectory: String
        public var clientURL: String { "http://127.0.0.1:\(clientPort)" }
        public var peerURL: String { "http://127.0.0.1:\(peerPort)" }
    }

    public let root: String
    public let members: [Member]
    private var processes: [Int: (child: ChildProcess, lifeline: Int32)] = [:]
    private let lock = NSLock()

    /// Whether `etcd` is installed (`make test` installs Debian's etcd-server).
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd")
            || (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
                FileManager.default.isExecutableFile(atPath: "\($0)/etcd")
            }
    }

    public init(members count: Int = 3) throws {
        guard Self.isAvailable else { throw HostTestError("etcd is not installed (Debian: apt-get install etcd-server)") }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dehub-etcd-\(UUID().uuidString)").path
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let ports = try FreePorts.take(count * 2)
        members = (0..<count).map { i in
            Member(
                name: "m\(i)", clientPort: ports[2 * i], peerPort: ports[2 * i + 1], dataDirectory: "\(root)/m\(i)")
        }
        do {
            for i in members.indices { try start(i) }
            try waitHealthy(timeout: 30)
        } catch {
            stop()
            throw error
        }
    }

    /// The client URLs, comma-separated (what `--cluster-etcd` takes).
    public var endpoints: String { members.map(\.clientURL).joined(separator: ",") }

    public func endpoints(of indices: [Int]) -> String { indices.map { members[$0].clientURL }.joined(separator: ",") }

    /// Starts member `i` (again, with its data, after a stop or a kill).
    public func start(_ i: Int) throws {
        let member = members[i]
        let initial = members.map { "\($0.name)=\($0.peerURL)" }.joined(separator: ",")
        let arguments = [
            "--name", member.name, "--data-dir", member.dataDirectory,
            "--listen-client-urls", member.clientURL, "--advertise-client-urls", member.clientURL,
            "--listen-peer-urls", member.peerURL, "--initial-advertise-peer-urls", member.peerURL,
            "--initial-cluster", initial, "--initial-cluster-state", "new", "--initial-cluster-token", "dehub-test",
            "--heartbeat-interval", "50", "--election-timeout", "500", "--log-level", "error",
            "--snapshot-count", "100000",
        ]
        let wrapper = #"""
            "$@" & pid=$!
            read _ignored
            kill -KILL $pid 2>/dev/null
            wait $pid
            """#
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw HostTestError("pipe failed") }
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        let log = open(root + "/\(member.name).log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer { close(fds[0]); close(log) }
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "ETCDCTL_API")
        let child = try ChildProcess(
            "/bin/sh", ["-c", wrapper, "sh", "etcd"] + arguments, environment: environment, stdin: fds[0], stdout: log,
            stderr: log)
        lock.withLock { processes[i] = (child, fds[1]) }
    }

    /// Stops member `i` with SIGKILL (etcd keeps its data; `start(i)` brings it back).
    public func kill(_ i: Int) {
        guard let entry = lock.withLock({ processes.removeValue(forKey: i) }) else { return }
        close(entry.lifeline)
        if entry.child.wait(timeout: 10) == nil { entry.child.killAndWait() }
    }

    /// Stops every member and removes the data.
    public func stop() {
        for i in members.indices { kill(i) }
        try? FileManager.default.removeItem(atPath: root)
    }

    public func isRunning(_ i: Int) -> Bool { lock.withLock { processes[i] != nil } }

    /// Waits until every running member reports healthy (it has a leader and serves reads).
    public func waitHealthy(timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        for i in members.indices where isRunning(i) {
            while !isHealthy(i) {
                guard Date() < deadline else { throw HostTestError("etcd member \(i) is not healthy: \(logText(i))") }
                usleep(100_000)
            }
        }
    }

    public func isHealthy(_ i: Int) -> Bool {
        let result = try? HostCommandRunner.run(
            ["curl", "-s", "-m", "2", members[i].clientURL + "/health"], environment: ProcessInfo.processInfo.environment,
            timeout: 5)
        return result?.stdout.contains("\"health\":\"true\"") ?? false
    }

    /// The index of the current leader, if a running member knows one.
    public func leader() -> Int? {
        for i in members.indices where isRunning(i) {
            guard
                let result = try? HostCommandRunner.run(
                    ["curl", "-s", "-m", "2", "-X", "POST", members[i].clientURL + "/v3/maintenance/status", "-d", "{}"],
                    environment: ProcessInfo.processInfo.environment, timeout: 5),
                let json = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                let header = json["header"] as? [String: Any], let me = header["member_id"] as? String,
                let leader = json["leader"] as? String
            else { continue }
            if me == leader { return i }
        }
        return nil
    }

    public func logText(_ i: Int) -> String {
        (try? String(contentsOfFile: root + "/\(members[i].name).log", encoding: .utf8)) ?? ""
    }
}

/// Free TCP ports on 127.0.0.1, found by binding port 0 (all held open until every one is known, so they differ).
public enum FreePorts {
    public static func take(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw HostTestError("socket failed") }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
            }
            guard bound == 0 else { throw HostTestError("bind failed") }
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            guard named == 0 else { throw HostTestError("getsockname failed") }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}
