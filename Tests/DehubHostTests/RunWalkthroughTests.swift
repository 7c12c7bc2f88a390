import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `make run`'s printed walkthrough, followed step by step from a fresh data directory: `scripts/run-host.sh`
    /// makes the demo repository and prints `scripts/walkthrough.txt`; this test runs the commands of that same file,
    /// in order and in one shell, against the real host (port 0) with the real dehub hook. Regression: the steps
    /// once started the thread from the refused commit, and `dehub combine` stopped.
    @Suite("make run's walkthrough")
    struct RunWalkthroughTests {
        static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts").path

        @Test func everyPrintedStepWorksInOrder() throws {
            let server = try HostTestServer(hook: { _ in try DehubBinary.require() })
            defer {
                server.stop()
                server.removeFiles()
            }
            // run-host.sh takes a directory holding both binaries.
            let bin = server.root + "/bin"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: bin + "/dehub", withDestinationPath: try DehubBinary.require())
            try FileManager.default.createSymbolicLink(atPath: bin + "/dehub-host", withDestinationPath: HostTestServer.binary())

            var env = server.environment
            env["DEHUB_DATA"] = server.data
            env["DEHUB_NO_SERVE"] = "1"
            env["DEHUB_SSH"] = "127.0.0.1:0"
            env["DEHUB_HTTP"] = "127.0.0.1:0"
            let prepared = try HostCommandRunner.run(
                ["bash", Self.scripts + "/run-host.sh", bin], environment: env, directory: server.root, timeout: 300)
            #expect(prepared.status == 0, "\(prepared.output)")
            #expect(
                prepared.stdout.contains("git clone -q http://127.0.0.1:0/demo.git && cd demo"),
                "prints the walkthrough: \(prepared.output)")

            let keys = server.data + "/demo-keys"
            try server.start(adminKey: keys + "/admin")
            var text = try String(contentsOfFile: Self.scripts + "/walkthrough.txt", encoding: .utf8)
            for (name, value) in [
                ("BIN", bin), ("HTTP", "127.0.0.1:\(server.httpPort)"), ("SSH_HOST", "127.0.0.1"),
                ("SSH_PORT", "\(server.sshPort)"), ("KEYS", keys),
            ] {
                text = text.replacingOccurrences(of: "{{\(name)}}", with: value)
            }
            let steps = text.split(separator: "\n").filter { $0.hasPrefix("  ") }.map { String($0.dropFirst(2)) }
            #expect(steps.count >= 10, "\(text)")
            var script = "export PATH='\(bin)':\"$PATH\"\n"
            for (i, step) in steps.enumerated() {
                // The status is echoed on its own line: a step may end in a comment.
                script += "echo '@@ step \(i)' >&2\n\(step)\necho \"@@ status \(i) $?\" >&2\n"
            }
            let work = server.root + "/walk"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            let ran = try HostCommandRunner.run(
                ["bash", "-c", script], environment: server.environment, directory: work, timeout: 600)
            #expect(ran.status == 0, "\(ran.output)")

            for (i, step) in steps.enumerated() {
                // ssh ends its warnings with \r\n, one Character to Swift: split on any newline.
                let status = ran.stderr.split(whereSeparator: \.isNewline).first { $0.hasPrefix("@@ status \(i) ") }.map {
                    $0.split(separator: " ").last!
                }
                let refused = step.contains("# refused")
                if refused {
                    #expect(status != nil && status != "0", "step \(i) should be refused: \(step)\n\(ran.output)")
                } else {
                    #expect(status == "0", "step \(i) failed: \(step)\n\(ran.output)")
                }
            }
            #expect(ran.stderr.contains("remote: dehub: push refused"), "\(ran.output)")
            #expect(ran.stdout.contains("demo"), "repo list over SSH: \(ran.output)")
            let landed = try server.git(["--git-dir", server.data + "/repos/demo.git", "log", "-1", "--format=%s", "main"])
            #expect(
                landed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "Add idea.txt", "\(landed.output)\n\(ran.output)"
            )
            let verified = try HostCommandRunner.run(
                [bin + "/dehub", "-C", work + "/demo", "verify", "--all", "--branch", "main", "-q"],
                environment: server.environment)
            #expect(verified.status == 0, "\(verified.output)")
        }
    }
}
