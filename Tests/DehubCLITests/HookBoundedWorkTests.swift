import DehubTestSupport
import Foundation
import Testing

/// Issue 9's flood: an anonymous push of 2,000 commits, each carrying 256 copies of a real credential made for
/// another fingerprint, cost the hook 45.9 CPU-seconds before it was refused (every credential of every commit was
/// checked). Now a stranger's push is bounded by `dehub.strangerMaxCommits`, a commit carries at most 32
/// credentials (format §2.4), verification stops at the first refused commit, and a credential is checked once per
/// push: the push is refused at its first commit. The time is
/// measured with the release build (BENCHMARKS.md, threat model); this test asserts only what is refused and how.
@Suite("pre-receive hook: bounded work per push")
struct HookBoundedWorkTests {
    /// `count` commits on top of HEAD (same tree), each with `message`, written by `git fast-import` (one process
    /// instead of thousands); returns the last one and moves the checked-out branch there.
    static func flood(_ s: Scenario, message: String, count: Int) throws -> String {
        let branch = try s.git("symbolic-ref", "HEAD")
        let parent = try s.head()
        let stream = s.directory.appending("flood.fi")
        _ = FileManager.default.createFile(atPath: stream, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: stream))
        let body = Data(message.utf8)
        for i in 0..<count {
            let header = "commit \(branch)\ncommitter Flood <flood@dehub.test> \(1_700_000_000 + i) +0000\ndata \(body.count)\n"
            file.write(Data(header.utf8))
            file.write(body)
            file.write(Data((i == 0 ? "from \(parent)\n\n" : "\n").utf8))
        }
        try file.close()
        let imported = try s.run("/bin/sh", ["-c", "git fast-import --quiet < '\(stream)'"])
        guard imported.succeeded else { throw ScenarioError("git fast-import failed: \(imported.transcript)") }
        try FileManager.default.removeItem(atPath: stream)
        try s.git("reset", "-q", "--hard", branch)
        return try s.head()
    }

    @Test func refusesTwoThousandCommitsOf256CopiedCredentialsAtTheFirst() throws {
        let s = try Scenario()
        let team = try s.guardedRepository()
        try s.git("switch", "-q", "-c", "flood")
        // A real credential of bob's, made for another comment's fingerprint.
        let other = try s.comment("Something bob said", by: team.b)
        let item = Scenario.credentials(in: try s.message(of: other)).split(separator: "\n", maxSplits: 1)[1] + "\n"
        let base = try s.message(of: try s.comment("Copied credentials", by: team.a))
        let message = Scenario.replacingCredentials(
            in: base, with: "credentials:\n" + String(repeating: String(item), count: 256))
        try s.git("reset", "-q", "--hard", "main")
        let tip = try Self.flood(s, message: message, count: 2_000)
        // Behind the host, an anonymous pusher is a stranger: refused by the count of new commits, before any walk.
        let stranger = try s.push("origin", "flood", environment: ["DEHUB_PUSHER_ROLE": "other"])
        expectRefused(stranger, "the push brings more than 1000 commits to verify (git config dehub.strangerMaxCommits)")
        // On a plain git server (no role), refused at its first commit by the credential limit.
        let result = try s.push("origin", "flood")
        expectRefused(
            result, "check:  payload", "credentials: has 256 entries, more than the limit of 32",
            "1 of 1 commit(s) not verifiable; 1999 later commit(s) not checked")
        #expect(try s.serverRef("refs/heads/flood") == nil)
        #expect(try !s.serverHasObject(tip))
    }

    /// The same flood within the cap (32 copies a commit) is refused at its first commit too, naming the credential.
    @Test func refusesCommitsOf32CopiedCredentialsAtTheFirst() throws {
        let s = try Scenario()
        let team = try s.guardedRepository()
        try s.git("switch", "-q", "-c", "flood")
        let other = try s.comment("Something bob said", by: team.b)
        let item = Scenario.credentials(in: try s.message(of: other)).split(separator: "\n", maxSplits: 1)[1] + "\n"
        let base = try s.message(of: try s.comment("Copied credentials", by: team.a))
        let message = Scenario.replacingCredentials(in: base, with: "credentials:\n" + String(repeating: String(item), count: 32))
        try s.git("reset", "-q", "--hard", "main")
        _ = try Self.flood(s, message: message, count: 300)
        let result = try s.push("origin", "flood")
        expectRefused(
            result, "check:  credentials", "32 credential(s) did not verify", "credentials[31] (ssh, account bob)",
            "1 of 1 commit(s) not verifiable; 299 later commit(s) not checked")
    }
}
