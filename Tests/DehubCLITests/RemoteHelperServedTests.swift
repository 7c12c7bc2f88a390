import DehubTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `git clone dehub::URL` over the network transports: a `git daemon` (git://) and a `dehub-host` (smart HTTP and
/// SSH-free anonymous reads), each on a free port of 127.0.0.1, stopped by the test.
@Suite("git-remote-dehub over git:// and dehub-host")
struct RemoteHelperServedTests {
    @Test func cloneAndFetchOverGitDaemon() throws {
        let w = try RemoteHelperWorld()
        try FileManager.default.createFile(atPath: w.s.server + "/git-daemon-export-ok", contents: Data())
        let port = try FreePort.find()
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(devNull) }
        let daemon = try ChildProcess(
            "git",
            [
                "daemon", "--reuseaddr", "--listen=127.0.0.1", "--port=\(port)", "--base-path=\(w.s.directory.path)",
                w.s.directory.path,
            ], environment: w.s.environment, stdin: devNull, stdout: devNull, stderr: devNull)
        defer { _ = daemon.killAndWait() }
        #expect(FreePort.waitUntilListening(port, timeout: 20))
        let url = "git://127.0.0.1:\(port)/server.git"
        let (clone, result) = try w.clone(url)
        #expect(result.succeeded, "\(result.transcript)")
        #expect(try w.rev("main", in: clone) == w.s.serverRef("refs/heads/main"))
        let tip = try w.landAndPush("Second step")
        let fetched = try w.git(["fetch"], in: clone)
        #expect(fetched.succeeded, "\(fetched.transcript)")
        #expect(try w.rev("refs/remotes/origin/main", in: clone) == tip)
        // Tampered behind the hook's back: refused over git:// too, and nothing of it arrives.
        let bad = try w.unsignedCommit()
        try w.force("refs/heads/main", of: w.s.server, to: bad)
        let refused = try w.git(["fetch"], in: clone)
        #expect(!refused.succeeded && refused.stderrText.contains("does not verify"), "\(refused.transcript)")
        #expect(try !w.hasObject(bad, in: clone))
    }

    @Test func cloneFromDehubHostOverHTTP() throws {
        let w = try RemoteHelperWorld()
        let server = try HostTestServer(hook: { _ in try DehubBinary.require() })
        try server.start(adminKey: w.team.alice.privateKeyPath)
        defer {
            server.stop()
            server.removeFiles()
        }
        let created = try server.ssh(["repo", "create", "project"], key: w.team.alice.privateKeyPath)
        #expect(created.status == 0, "\(created.output)")
        let pushed = try server.git(
            ["push", "-q", server.sshURL("project"), "main"], key: w.team.alice.privateKeyPath, in: w.s.work)
        #expect(pushed.status == 0, "\(pushed.output)")
        let (clone, result) = try w.clone(server.httpURL("project"))
        #expect(result.succeeded, "\(result.transcript)")
        #expect(try w.rev("main", in: clone) == w.s.head("main"))
        #expect(try w.s.git("config", "remote.origin.dehubRoot", in: clone) == w.root())
    }
}

/// A free TCP port on 127.0.0.1 (bound to port 0, then released) for servers that cannot report their own.
enum FreePort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw ScenarioError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True once something accepts connections on the port.
    static func waitUntilListening(_ port: Int, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(fd)
            if connected { return true }
            usleep(50_000)
        }
        return false
    }
}
