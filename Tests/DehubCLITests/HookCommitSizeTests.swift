import DehubTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 9: a 292 KB pack holding one commit with a 300 MB message drove the hook to ~600 MB of memory, because
/// commit objects were read whole with no size check first. Now the hook reads each pushed commit's header (type
/// and size) before the commit, and refuses one over `dehub.maxMessageBytes` plus 64 KiB of headers unread.
@Suite("pre-receive hook: commit sizes read before commits")
struct HookCommitSizeTests {
    /// Through real git (receive-pack's quarantine): a 3 MB message is refused from the commit's header.
    @Test func refusesAnOversizedCommitPushedThroughGit() throws {
        let s = try Scenario()
        _ = try s.guardedRepository()
        try s.git("switch", "-q", "-c", "big")
        let big = try s.craft(message: "Big\n\n" + String(repeating: "a", count: 3_000_000))
        let result = try s.push("origin", "big")
        expectRefused(
            result, "commit \(short(big)) is 300", "bytes, more than the limit of 1114112 bytes for a commit object",
            "it was not read")
        #expect(try !s.serverHasObject(big))
    }

    /// The issue's case: a 300 MB message, written with `git hash-object --literally` from a stream into a
    /// quarantine directory, and the hook run alone on it with git's quarantine environment; its peak memory is
    /// read from the kernel (wait4's ru_maxrss).
    @Test func refusesA300MBCommitWithBoundedMemory() throws {
        let s = try Scenario()
        _ = try s.guardedRepository()
        let main = try s.head("main")
        let tree = try s.git("rev-parse", "main^{tree}")
        let quarantine = s.server + "/objects/tmp_objdir-incoming-test"
        try FileManager.default.createDirectory(atPath: quarantine, withIntermediateDirectories: true)
        let quarantineEnvironment = [
            "GIT_DIR": s.server, "GIT_OBJECT_DIRECTORY": quarantine, "GIT_ALTERNATE_OBJECT_DIRECTORIES": s.server + "/objects",
            "GIT_QUARANTINE_PATH": quarantine,
        ]
        let size = 300_000_000
        let headers =
            "tree \(tree)\nparent \(main)\nauthor M <m@dehub.test> 1700000000 +0000\n"
            + "committer M <m@dehub.test> 1700000000 +0000\n\nBig\n\n"
        try headers.write(toFile: s.directory.appending("headers"), atomically: true, encoding: .utf8)
        let script = """
            { cat '\(s.directory.appending("headers"))'; head -c \(size) /dev/zero | tr '\\0' a; } \
            | git hash-object -t commit -w --literally --stdin
            """
        let made = try s.run("/bin/sh", ["-c", script], environment: quarantineEnvironment)
        #expect(made.succeeded, "\(made.transcript)")
        let big = made.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)

        var environment = s.environment
        environment.merge(quarantineEnvironment) { $1 }
        let input = "\(String(repeating: "0", count: 40)) \(big) refs/heads/big\n"
        let run = try MeasuredRun(
            s.dehubPath, ["hook", "pre-receive"], environment: environment, stdin: input,
            scratch: s.directory.path)
        #expect(run.exitCode == 1, "\(run.stderr)")
        #expect(
            run.stderr.contains(
                "commit \(short(big)) is \(size + headers.utf8.count) bytes, more than the limit of 1114112 bytes"),
            "\(run.stderr)")
        // Reading the object would take at least its 300 MB; the hook stays far below.
        #expect(run.maxResidentKiB < 150_000, "peak resident memory \(run.maxResidentKiB) KiB")
    }
}

/// Runs a command to its end under GNU time (`/usr/bin/time -f %M`), for its exit code, stderr and peak resident
/// memory. Not wait4's ru_maxrss of a child spawned from here: glibc's posix_spawn shares the test runner's memory
/// until exec, and Linux then counts the runner's own peak into the child's, so a big test process would look like
/// a big hook. GNU time forks, so the command's peak is its own.
struct MeasuredRun {
    var exitCode: Int32
    var stderr: String
    var maxResidentKiB: Int

    init(_ executable: String, _ arguments: [String], environment: [String: String], stdin: String, scratch: String) throws {
        let inputPath = scratch + "/measured.in"
        let errorPath = scratch + "/measured.err"
        try stdin.write(toFile: inputPath, atomically: true, encoding: .utf8)
        let usagePath = scratch + "/measured.usage"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let time = "/usr/bin/time"
        let argv = ([time, "-f", "%M", "-o", usagePath, executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, time, &actions, nil, argv, envp)
        guard spawned == 0 else { throw ScenarioError("posix_spawn \(time): error \(spawned) (is GNU time installed?)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ScenarioError("waitpid: errno \(errno)") }
        }
        exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        // GNU time writes "Command exited with non-zero status N" before the figure when the command fails.
        let usage = (try? String(contentsOfFile: usagePath, encoding: .utf8)) ?? ""
        guard let peak = usage.split(separator: "\n").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
            throw ScenarioError("GNU time reported no peak memory: \(usage)")
        }
        maxResidentKiB = peak
    }
}
