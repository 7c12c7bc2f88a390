import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Processes tied to connections, parallel load, crashes and graceful stops.
    @Suite("Processes and lifecycle, end to end")
    struct ProcessLifecycleTests {
        /// Git processes (upload-pack, pack-objects, receive-pack...) whose command line names `path`.
        static func gitProcesses(under path: String) -> [String] {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
            return entries.compactMap { pid -> String? in
                guard Int(pid) != nil, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
                let command = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
                guard command.contains("git"), command.contains(path) || command.contains("pack-objects") else { return nil }
                // pack-objects does not name the repo; count it only when its cwd is under the data dir
                if !command.contains(path) {
                    let cwd = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")) ?? ""
                    guard cwd.hasPrefix(path) else { return nil }
                }
                return "\(pid): \(command)"
            }
        }

        static func waitUntilNoGit(under path: String, seconds: Double = 15) -> [String] {
            let deadline = Date().addingTimeInterval(seconds)
            var left = gitProcesses(under: path)
            while !left.isEmpty, Date() < deadline {
                usleep(100_000)
                left = gitProcesses(under: path)
            }
            return left
        }

        /// A repo big enough that a clone takes a while: random blobs over a few commits.
        static func makeBigRepo(_ host: HostFixture, megabytes: Int) throws {
            let server = host.server
            let work = server.root + "/big"
            _ = try server.git(["clone", "-q", server.sshURL("demo"), work], key: host.admin)
            for i in 0..<megabytes {
                try randomData(megabytes: 1).write(to: URL(fileURLWithPath: work + "/blob-\(i).bin"))
            }
            _ = try server.git(["add", "-A"], in: work)
            _ = try server.git(["commit", "-q", "-m", "big: signed"], in: work)
            try host.expectOK(server.git(["push", "-q", "origin", "main"], key: host.admin, in: work, timeout: 300))
        }

        /// `count` clones of `demo` by the admin at once, even ones over SSH and odd ones over HTTP, into `root/PREFIXi`.
        static func concurrentClones(_ host: HostFixture, count: Int, prefix: String) -> [(Int, HostCommandResult?)] {
            let server = host.server
            let results = ResultBox()
            DispatchQueue.concurrentPerform(iterations: count) { i in
                let url = i % 2 == 0 ? server.sshURL("demo") : server.httpURL("demo")
                results.add(i, try? server.git(["clone", "-q", url, server.root + "/\(prefix)\(i)"], key: host.admin))
            }
            return results.all
        }

        @Test("a client killed mid-clone leaves no git process behind (SSH and HTTP)", arguments: ["ssh", "http"])
        func droppedClone(transport: String) throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            try Self.makeBigRepo(host, megabytes: 24)
            let url = transport == "ssh" ? server.sshURL("demo") : server.httpURL("demo")
            // A clone that is killed after 0.5 s, while the pack is streaming (the runner kills the whole group).
            let result = try server.git(["clone", "-q", url, server.root + "/dropped"], key: host.admin, timeout: 0.5)
            #expect(result.status != 0)
            let left = Self.waitUntilNoGit(under: server.data)
            #expect(left.isEmpty, "git processes left: \(left)")
            // The host still serves.
            try host.expectOK(server.git(["ls-remote", url], key: host.admin))
        }

        @Test("20 parallel clones and 5 parallel pushes to different branches all succeed")
        func parallelLoad() throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            let pushers = try (0..<5).map { i -> String in
                let path = try host.clone(server.sshURL("demo"), to: "pusher-\(i)", key: host.admin)
                _ = try server.git(["checkout", "-q", "-b", "topic-\(i)"], in: path)
                try server.commit(in: path, message: "topic \(i): signed")
                return path
            }
            let results = ResultBox()
            DispatchQueue.concurrentPerform(iterations: 25) { i in
                let outcome: HostCommandResult?
                if i < 5 {
                    outcome = try? server.git(["push", "-q", "origin", "topic-\(i)"], key: host.admin, in: pushers[i])
                } else {
                    let url = i % 2 == 0 ? server.httpURL("demo") : server.sshURL("demo", user: "anonymous")
                    outcome = try? server.git(["clone", "-q", url, server.root + "/clone-\(i)"], key: host.stranger)
                }
                results.add(i, outcome)
            }
            for (i, outcome) in results.all {
                #expect(outcome?.status == 0, "job \(i): \(outcome?.output ?? "did not run")")
            }
            let heads = try host.expectOK(server.git(["ls-remote", server.sshURL("demo")], key: host.admin)).stdout
            for i in 0..<5 {
                let local = try host.expectOK(server.git(["rev-parse", "HEAD"], in: pushers[i])).stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(heads.contains("\(local)\trefs/heads/topic-\(i)"))
            }
            for i in 5..<25 {
                let fsck = try server.git(["fsck", "--no-progress"], in: server.root + "/clone-\(i)")
                #expect(fsck.status == 0)
            }
        }

        @Test("the host killed with SIGKILL during a push: fsck is clean and the ref is old or new")
        func killedDuringPush() throws {
            let host = try HostFixture.start()
            let server = host.server
            defer { server.stop(); server.removeFiles() }
            let old = try host.expectOK(server.git(["--git-dir", server.data + "/repos/demo.git", "rev-parse", "main"])).stdout
            let work = try host.clone(server.sshURL("demo"), to: "work", key: host.admin)
            try randomData(megabytes: 16).write(to: URL(fileURLWithPath: work + "/big.bin"))
            _ = try server.git(["add", "-A"], in: work)
            _ = try server.git(["commit", "-q", "-m", "big: signed"], in: work)
            let new = try host.expectOK(server.git(["rev-parse", "HEAD"], in: work)).stdout
            let pushing = DispatchGroup()
            pushing.enter()
            DispatchQueue.global().async {
                _ = try? server.git(["push", "-q", "origin", "main"], key: host.admin, in: work, timeout: 60)
                pushing.leave()
            }
            usleep(400_000)
            server.crash()
            pushing.wait()
            _ = Self.waitUntilNoGit(under: server.data)
            let repo = server.data + "/repos/demo.git"
            let fsck = try server.git(["--git-dir", repo, "fsck", "--no-progress"])
            #expect(fsck.status == 0, "\(fsck.output)")
            let now = try host.expectOK(server.git(["--git-dir", repo, "rev-parse", "main"])).stdout
            #expect(now == old || now == new)
            // A ref lock a crash left behind (planted, old) is swept at the next start, so main takes pushes again.
            let lock = repo + "/refs/heads/main.lock"
            try Data("stale\n".utf8).write(to: URL(fileURLWithPath: lock))
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: lock)
            // It starts again on the same data and serves.
            try server.start()
            #expect(server.lines.contains { $0.contains("removed stale") && $0.contains("main.lock") })
            try host.expectOK(server.git(["ls-remote", server.sshURL("demo")], key: host.admin))
            try server.commit(in: work, message: "after the crash: signed")
            try host.expectOK(server.git(["push", "-q", "origin", "main"], key: host.admin, in: work, timeout: 60))
        }

        @Test("SIGTERM during a push lets the push finish, then the host stops (SSH and HTTP)", arguments: ["ssh", "http"])
        func gracefulStopDuringPush(transport: String) throws {
            let host = try HostFixture.start()
            let server = host.server
            defer { server.stop(); server.removeFiles() }
            let work = try host.clone(server.sshURL("demo"), to: "work", key: host.admin)
            try randomData(megabytes: 16).write(to: URL(fileURLWithPath: work + "/big.bin"))
            _ = try server.git(["add", "-A"], in: work)
            _ = try server.git(["commit", "-q", "-m", "big: signed"], in: work)
            let new = try host.expectOK(server.git(["rev-parse", "HEAD"], in: work)).stdout
            let url = transport == "ssh" ? server.sshURL("demo") : server.httpURL("demo")
            let pushed = ResultBox()
            let pushing = DispatchGroup()
            pushing.enter()
            DispatchQueue.global().async {
                // One POST for the whole pack: with a pack larger than http.postBuffer git first sends a probe
                // request, and a SIGTERM between the two would (rightly) refuse the second one.
                pushed.add(
                    0,
                    try? server.git(
                        ["-c", "http.postBuffer=67108864", "push", "-q", url, "main"],
                        key: host.admin, in: work, timeout: 60))
                pushing.leave()
            }
            // SIGTERM once the push is under way: its receive-pack is running (over HTTP, the POST that carries the
            // pack, not the ref advertisement before it, which is a request of its own).
            let deadline = Date().addingTimeInterval(20)
            func receiving() -> Bool {
                Self.gitProcesses(under: server.data).contains { $0.contains("receive-pack") && !$0.contains("--advertise-refs") }
            }
            while !receiving(), Date() < deadline { usleep(2_000) }
            #expect(server.serverPID > 0)
            kill(server.serverPID, SIGTERM)
            pushing.wait()
            let outcome = pushed.all.first?.1
            #expect(outcome?.status == 0, "\(outcome?.output ?? "did not run")")
            let repo = server.data + "/repos/demo.git"
            #expect(try server.git(["--git-dir", repo, "rev-parse", "main"]).stdout == new)
            #expect(server.waitForLine("stopped", timeout: 40), "the host did not stop after the push: \(server.lines)")
        }

        @Test("SIGTERM stops the host cleanly")
        func gracefulStop() throws {
            let host = try HostFixture.start(createDemo: false)
            defer { host.server.removeFiles() }
            host.server.stop(grace: 30)
            #expect(host.server.process?.isRunning == false)
            #expect(host.server.lines.contains("stopped"))
        }

        @Test("over the git process limit, requests wait in the queue and are all served")
        func processQueue() throws {
            let host = try HostFixture.start(config: "max_git_processes: 1\n")
            defer { host.stop() }
            let server = host.server
            try Self.makeBigRepo(host, megabytes: 4)
            for (i, outcome) in Self.concurrentClones(host, count: 6, prefix: "q") {
                #expect(outcome?.status == 0, "clone \(i): \(outcome?.output ?? "did not run")")
            }
        }

        @Test("over the git process limit with a full queue, a request is refused with a clear message")
        func processLimit() throws {
            let host = try HostFixture.start(config: "max_git_processes: 1\nmax_queued_requests: 0\n")
            defer { host.stop() }
            let server = host.server
            try Self.makeBigRepo(host, megabytes: 8)
            let outputs = Self.concurrentClones(host, count: 8, prefix: "c").map { $0.1?.output ?? "" }
            #expect(outputs.contains { $0.contains("the host is busy") })
            // Over HTTP "busy" is a 503 with the message, never a response cut short.
            for output in outputs {
                #expect(!output.contains("curl 18") && !output.contains("outstanding read data"), "\(output)")
                if output.contains("RPC failed") { #expect(output.contains("HTTP 503"), "\(output)") }
            }
        }
    }
}

/// Incompressible bytes, fast (from /dev/urandom).
func randomData(megabytes: Int) throws -> Data {
    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
    defer { try? handle.close() }
    return try handle.read(upToCount: megabytes << 20) ?? Data()
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: HostCommandResult?] = [:]

    func add(_ i: Int, _ result: HostCommandResult?) { lock.lock(); results[i] = result; lock.unlock() }
    var all: [(Int, HostCommandResult?)] { lock.lock(); defer { lock.unlock() }; return results.sorted { $0.key < $1.key } }
}
