import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// A client that opens a git session and then says nothing (over SSH, where no body timeout applies) held
    /// its git and its slot for as long as it kept the connection up.
    @Suite("Idle git, end to end")
    struct GitIdleTimeoutTests {
        @Test("an SSH client that stays silent after the ref advertisement: its git is stopped after git_idle_timeout_seconds")
        func silentSSHClient() throws {
            let host = try HostFixture.start(config: "git_idle_timeout_seconds: 3\n")
            defer { host.stop() }
            let server = host.server
            var fds: [Int32] = [0, 0]
            #expect(pipe(&fds) == 0)
            defer { close(fds[1]) }
            let null = open("/dev/null", O_RDWR)
            defer { close(null) }
            // stdin is a pipe this test holds open and never writes: upload-pack advertises its refs, then waits.
            let ssh = try ChildProcess(
                "/bin/sh", ["-c", server.sshCommand(key: host.admin) + " git@127.0.0.1 \"git-upload-pack 'demo.git'\""],
                environment: server.environment, stdin: fds[0], stdout: null, stderr: null)
            close(fds[0])
            defer { ssh.killAndWait() }
            let started = HTTPMisbehavingClientTests.waitFor(seconds: 20) {
                HTTPMisbehavingClientTests.requestGit(server).contains { $0.contains("upload-pack") }
            }
            #expect(started, "upload-pack did not start")
            let stopped = HTTPMisbehavingClientTests.waitFor(seconds: 3 + 5) {
                HTTPMisbehavingClientTests.requestGit(server).isEmpty
            }
            #expect(stopped, "git left: \(HTTPMisbehavingClientTests.requestGit(server))")
            // The session is closed too.
            #expect(ssh.wait(timeout: 10) != nil, "the ssh session stayed open")
        }

        /// The connection's thread reads git's stdout only while the client's window has room (`SSHDirectOutput`): a
        /// client that stops reading in the middle of a pack leaves git blocked on its pipe (the host buffers no more
        /// than the window), not a host reading the whole pack into memory; with nothing moving, git is stopped after
        /// git_idle_timeout_seconds, the session closes, and the next clone is served at once.
        @Test("an SSH client that stops reading in the middle of a pack: git is stopped after git_idle_timeout_seconds")
        func stalledSSHReader() throws {
            let host = try HostFixture.start(config: "git_idle_timeout_seconds: 3\n")
            defer { host.stop() }
            let server = host.server
            // 24 MiB of random blobs on a branch of demo.git (fetched into the bare repo: no hook runs): more than the
            // pipes, the SSH window and the socket buffers hold together.
            let source = server.root + "/blobs"
            try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
            let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
            defer { try? random.close() }
            for index in 0..<24 {
                try random.readData(ofLength: 1 << 20).write(to: URL(fileURLWithPath: source + "/\(index).bin"))
            }
            _ = try host.expectOK(server.git(["init", "-q", "-b", "big", source]))
            _ = try host.expectOK(server.git(["-C", source, "add", "-A"]))
            _ = try host.expectOK(
                server.git(["-C", source, "-c", "user.name=T", "-c", "user.email=t@t", "commit", "-qm", "blobs"]))
            let repo = server.data + "/repos/demo.git"
            _ = try host.expectOK(server.git(["--git-dir", repo, "fetch", "-q", source, "big:refs/heads/big"]))
            let tip = try host.expectOK(server.git(["--git-dir", repo, "rev-parse", "big"])).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            // A protocol v0 request for the branch, then the end of input; stdout is a pipe this test never reads.
            let request = "0032want \(tip)\n" + "0000" + "0009done\n"
            let requestFile = server.root + "/request"
            try request.write(toFile: requestFile, atomically: true, encoding: .utf8)
            let input = open(requestFile, O_RDONLY)
            defer { close(input) }
            var fds: [Int32] = [0, 0]
            #expect(pipe(&fds) == 0)
            defer { close(fds[0]) }
            let null = open("/dev/null", O_RDWR)
            defer { close(null) }
            let ssh = try ChildProcess(
                "/bin/sh", ["-c", server.sshCommand(key: host.admin) + " git@127.0.0.1 \"git-upload-pack 'demo.git'\""],
                environment: server.environment, stdin: input, stdout: fds[1], stderr: null)
            close(fds[1])
            defer { ssh.killAndWait() }
            let started = HTTPMisbehavingClientTests.waitFor(seconds: 20) {
                HTTPMisbehavingClientTests.requestGit(server).contains { $0.contains("upload-pack") }
            }
            #expect(started, "upload-pack did not start")
            let stopped = HTTPMisbehavingClientTests.waitFor(seconds: 3 + 10) {
                HTTPMisbehavingClientTests.requestGit(server).isEmpty
            }
            #expect(stopped, "git left: \(HTTPMisbehavingClientTests.requestGit(server))")
            // The host closed the session: once the client's output is read, ssh ends (it holds what it received
            // until its stdout takes it).
            #expect(Self.drain(fds[0], seconds: 20), "the ssh session stayed open")
            #expect(ssh.wait(timeout: 10) != nil, "the ssh session stayed open")
            _ = try host.clone(server.sshURL("demo"), to: "after-stall", key: host.admin)
        }

        /// Reads `fd` until its end (true) or until `seconds` passed (false).
        static func drain(_ fd: Int32, seconds: Int) -> Bool {
            let deadline = ContinuousClock.now + .seconds(seconds)
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while ContinuousClock.now < deadline {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 200) >= 0 else { return false }
                guard poller.revents != 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count == 0 { return true }
                if count < 0 && errno != EINTR { return false }
            }
            return false
        }
    }
}
