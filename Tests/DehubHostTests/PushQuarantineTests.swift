import DehubTestSupport
import Foundation
import Testing

@testable import DehubHost

/// The host removes a stopped push's quarantine, and only that push's: the one its own process group names.
@Suite("Push quarantine of a process group")
struct PushQuarantineTests {
    @Test("the quarantine named by a group's GIT_QUARANTINE_PATH is found; other groups, other repos and odd names are not")
    func ownQuarantineOnly() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("quarantine-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let repo = root + "/repo.git", other = root + "/other.git"
        for path in [
            repo + "/objects/tmp_objdir-incoming-mine", repo + "/objects/tmp_objdir-incoming-theirs",
            repo + "/objects/pack", other + "/objects/tmp_objdir-incoming-x",
        ] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        let null = open("/dev/null", O_RDWR)
        defer { close(null) }
        func sleeper(_ quarantine: String) throws -> ChildProcess {
            var environment = ProcessInfo.processInfo.environment
            environment["GIT_QUARANTINE_PATH"] = quarantine
            // A child in the same group, as index-pack is under receive-pack.
            return try ChildProcess(
                "/bin/sh", ["-c", "sleep 30 & wait"], environment: environment,
                stdin: null, stdout: null, stderr: null)
        }
        let mine = try sleeper(repo + "/./objects/tmp_objdir-incoming-mine")
        let theirs = try sleeper(repo + "/objects/tmp_objdir-incoming-theirs")
        let elsewhere = try sleeper(other + "/objects/tmp_objdir-incoming-x")
        let packDir = try sleeper(repo + "/objects/pack")
        defer { for child in [mine, theirs, elsewhere, packDir] { child.killAndWait() } }
        usleep(200_000)
        let resolvedRepo = URL(fileURLWithPath: repo).resolvingSymlinksInPath().path
        #expect(
            PushQuarantine.paths(usedByGroup: mine.pid, repoPath: repo) == [resolvedRepo + "/objects/tmp_objdir-incoming-mine"])
        #expect(ProcessTable.members(ofGroup: mine.pid).count == 2)
        #expect(PushQuarantine.paths(usedByGroup: elsewhere.pid, repoPath: repo).isEmpty)
        #expect(PushQuarantine.paths(usedByGroup: packDir.pid, repoPath: repo).isEmpty)
        // Removal waits for the group to end.
        mine.killAndWait()
        let removed = await PushQuarantine.remove([repo + "/objects/tmp_objdir-incoming-mine"], afterGroupEnds: mine.pid)
        #expect(removed.count == 1)
        #expect(FileManager.default.fileExists(atPath: repo + "/objects/tmp_objdir-incoming-theirs"))
    }
}
