import DehubTestSupport
import Foundation
import Testing

@testable import DehubGit

@Suite struct OpeningTests {
    @Test func opensAWorkTreeFromASubdirectory() throws {
        let fixture = try GitFixture.make()
        try fixture.write("deep/inside/file.txt", "x")
        let repo = try GitRepository.open(path: fixture.absolutePath("deep/inside"))
        #expect(repo.gitDirectory == fixture.path + "/.git")
        #expect(repo.workingDirectory == fixture.path)
        #expect(repo.isBare == false)
    }

    @Test func opensABareRepository() throws {
        let fixture = try GitFixture.make(bare: true)
        let repo = try fixture.open()
        #expect(repo.gitDirectory == fixture.path)
        #expect(repo.workingDirectory == nil)
        #expect(repo.isBare)
    }

    @Test func refusesAFolderThatIsNoRepository() throws {
        let directory = try TemporaryDirectory()
        let error = try #require(throws: GitError.self) { try GitRepository.open(path: directory.path) }
        #expect(error.message.contains("cannot open a git repository at '\(directory.path)'"))
        #expect(error.isNotFound)
    }

    @Test(arguments: [false, true])
    func initializesWithMainAsTheInitialBranch(bare: Bool) throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("new/repo")
        let repo = try GitRepository.initialize(path: path, bare: bare)
        #expect(repo.isBare == bare)
        #expect(repo.gitDirectory == (bare ? path : path + "/.git"))
        #expect(repo.workingDirectory == (bare ? nil : path))
        #expect(try repo.currentBranch() == "main")
        #expect(try repo.headCommit() == nil)
        let head = try String(contentsOfFile: repo.gitDirectory + "/HEAD", encoding: .utf8)
        #expect(head == "ref: refs/heads/main\n")
    }

    @Test func initializedRepositoryIsUsableByGit() throws {
        let fixture = try GitFixture.make()
        let path = fixture.directory.appending("made-by-libgit2")
        _ = try GitRepository.initialize(path: path, bare: false)
        let status = try fixture.gitOutput(["status", "--porcelain=v2", "--branch"], in: path)
        #expect(status.status == 0)
        #expect(status.stdoutText.contains("# branch.head main"))
    }
}

@Suite struct GitFixtureTests {
    @Test func clonesShareHistoryAndKeepTheIsolatedEnvironment() throws {
        let origin = try GitFixture.make()
        try origin.write("a.txt", "a")
        let first = try origin.commit("first")
        let second = try origin.commit("second")
        #expect(try origin.git("log", "--format=%at", "-1") == "\(GitFixture.baseDate + 60)")
        for bare in [false, true] {
            let clone = try origin.clone(bare: bare)
            #expect(clone.isBare == bare)
            #expect(try clone.revParse("main") == second)
            #expect(try clone.revParse("main~1") == first)
            #expect(clone.environment["HOME"] == clone.home)
            #expect(try clone.open().isBare == bare)
        }
    }
}
