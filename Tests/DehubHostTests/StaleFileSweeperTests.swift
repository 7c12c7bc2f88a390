import DehubHost
import DehubTestSupport
import Foundation
import Testing

@Suite("Stale files left by a crash")
struct StaleFileSweeperTests {
    @Test func removesOldLocksQuarantinesAndTemporaryReposButNothingFresh() throws {
        let root = try TemporaryDirectory(prefix: "dehub-sweep")
        let repos = root.appending("repos")
        let repo = repos + "/team/project.git"
        let files = FileManager.default
        let old = Date().addingTimeInterval(-7 * 3600)
        func make(_ path: String, directory: Bool = false, date: Date) throws {
            try files.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if directory {
                try files.createDirectory(atPath: path, withIntermediateDirectories: true)
            } else {
                try Data("x".utf8).write(to: URL(fileURLWithPath: path))
            }
            try files.setAttributes([.modificationDate: date], ofItemAtPath: path)
        }
        let stale = [
            repo + "/refs/heads/main.lock", repo + "/refs/heads/team/topic.lock", repo + "/packed-refs.lock",
            repo + "/HEAD.lock",
        ]
        for path in stale { try make(path, date: old) }
        try make(repo + "/objects/tmp_objdir-incoming-abc", directory: true, date: old)
        try make(repos + "/.creating-1234", directory: true, date: old)
        try make(repos + "/.deleting-5678", directory: true, date: old)
        let fresh = [repo + "/refs/heads/busy.lock", repo + "/config.lock"]
        for path in fresh { try make(path, date: Date()) }
        try make(repo + "/objects/tmp_objdir-incoming-now", directory: true, date: Date())
        try make(repo + "/refs/heads/main", date: old)

        let removed = StaleFileSweeper().sweep(reposDirectory: repos, repoPaths: [repo])
        #expect(
            Set(removed)
                == Set(
                    stale + [
                        repo + "/objects/tmp_objdir-incoming-abc", repos + "/.creating-1234", repos + "/.deleting-5678",
                    ]))
        for path in fresh + [repo + "/objects/tmp_objdir-incoming-now", repo + "/refs/heads/main"] {
            #expect(files.fileExists(atPath: path), "\(path) was removed")
        }
    }
}
