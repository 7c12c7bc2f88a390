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
    }
}
