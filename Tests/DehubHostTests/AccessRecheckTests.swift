import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Access is decided when git starts, not when the request arrived.
    @Suite("Access re-checked after the wait for a git slot, end to end")
    struct AccessRecheckTests {
        /// A receive-pack request that creates `refs/heads/main` at `commit`: one pkt-line command, a flush, the pack.
        static func createMainRequest(_ server: HostTestServer, work: String, commit: String) throws -> Data {
            let pack = try HostCommandRunner.run(
                ["sh", "-c", "echo \(commit) | git pack-objects --revs --stdout -q > ../create-main.pack"],
                environment: server.environment, directory: work)
            guard pack.status == 0 else { throw HostTestError("pack-objects failed: \(pack.output)") }
            let line = String(repeating: "0", count: 40) + " \(commit) refs/heads/main\u{0}report-status\n"
            var body = Data(String(format: "%04x", line.utf8.count + 4).utf8) + Data(line.utf8) + Data("0000".utf8)
            body += try Data(contentsOf: URL(fileURLWithPath: server.root + "/create-main.pack"))
            return body
        }

        /// Attack (the root-of-trust race): an anonymous push that would create `main` is allowed while `main`
        /// exists, then waits for a git slot (held here by another request); meanwhile the admin deletes and
        /// re-creates the repository, empty. When the slot frees, the push must be decided again and refused:
        /// the first push to a repository without `main` is the admin's alone.
        @Test("a queued push cannot create main in a repository re-created while it waited", arguments: ["http", "ssh"])
        func queuedPushRace(transport: String) throws {
            let host = try HostFixture.start(config: "max_git_processes: 1\nqueue_wait_seconds: 120\n")
            defer { host.stop() }
            let server = host.server
            let work = try server.makeWorkTree("stranger-root", message: "stranger root: signed")
            let commit = try host.expectOK(server.git(["rev-parse", "HEAD"], in: work)).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines)
            let body = try Self.createMainRequest(server, work: work, commit: commit)
            let bodyFile = server.root + "/create-main.request"
            try body.write(to: URL(fileURLWithPath: bodyFile))

            // The only git slot: the admin's upload-pack, waiting for wants.
            let holder = try BackgroundClient(
                ["sh", "-c", server.sshCommand(key: host.admin) + " git@127.0.0.1 git-upload-pack demo.git"],
                environment: server.environment, directory: server.root)
            defer { holder.stop() }
            for _ in 0..<200 where !holder.stdout.contains("refs/heads/main") { usleep(50_000) }
            #expect(holder.stdout.contains("refs/heads/main"), "the slot holder did not start: \(holder.stderr)")

            let pusher: BackgroundClient
            if transport == "http" {
                pusher = try BackgroundClient(
                    [
                        "curl", "-s", "-w", "\n%{http_code}", "-H", "Content-Type: application/x-git-receive-pack-request",
                        "--data-binary", "@" + bodyFile, "http://127.0.0.1:\(server.httpPort)/demo.git/git-receive-pack",
                    ],
                    environment: server.environment, directory: server.root)
            } else {
                pusher = try BackgroundClient(
                    ["sh", "-c", server.sshCommand(key: nil) + " anonymous@127.0.0.1 git-receive-pack demo.git < \(bodyFile)"],
                    environment: server.environment, directory: server.root)
            }
            defer { pusher.stop() }
            // The push is allowed (main exists) and waits for the slot.
            #expect(
                pusher.waitForExit(timeout: 3) == nil, "the push did not wait for the slot: \(pusher.stdout) \(pusher.stderr)")

            try host.expectOK(server.ssh(["repo", "delete", "demo"], key: host.admin))
            try host.expectOK(server.ssh(["repo", "create", "demo"], key: host.admin))
            holder.stop()

            #expect(pusher.waitForExit(timeout: 60) != nil, "the push is still waiting")
            let answer = pusher.stdout + pusher.stderr
            #expect(answer.contains("the first push (the root of trust) must come from an admin over SSH"), "\(answer)")
            if transport == "http" { #expect(pusher.stdout.hasSuffix("\n403"), "\(pusher.stdout)") }
            let main = try server.git([
                "--git-dir", server.data + "/repos/demo.git", "rev-parse", "--verify", "-q", "refs/heads/main",
            ])
            #expect(main.status != 0, "main was created: \(main.stdout)")
        }
    }
}
