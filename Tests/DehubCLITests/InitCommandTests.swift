import DehubTestSupport
import Foundation
import Testing

@Suite("dehub init")
struct InitCommandTests {
    @Test func createsAWorkingRepositoryOnMain() throws {
        let s = try Scenario()
        let output = try s.dehubOK("init", s.work, in: s.directory.path)
        #expect(output.contains("Initialized empty dehub repository"))
        #expect(!output.contains("bare"))
        #expect(try s.git("rev-parse", "--is-bare-repository") == "false")
        #expect(try s.git("symbolic-ref", "HEAD") == "refs/heads/main")
    }

    @Test func createsABareRepositoryOnMain() throws {
        let s = try Scenario()
        let output = try s.dehubOK("init", "--bare", s.server, in: s.directory.path)
        #expect(output.contains("Initialized empty bare dehub repository"), "\(output)")
        #expect(try s.git("rev-parse", "--is-bare-repository", in: s.server) == "true")
        #expect(try s.git("symbolic-ref", "HEAD", in: s.server) == "refs/heads/main")
    }

    @Test func takesAPathRelativeToDashC() throws {
        let s = try Scenario()
        try s.dehubOK("-C", s.directory.path, "init", "nested/repo", in: "/")
        #expect(s.exists(s.directory.appending("nested/repo/.git")))
    }

    @Test func leavesAnExistingRepositoryAsItIs() throws {
        let s = try Scenario()
        try s.dehubOK("init", s.work, in: s.directory.path)
        try s.write("a.txt", "a\n")
        try s.git("add", "a.txt")
        try s.git("commit", "-q", "-m", "plain")
        let before = try s.head()
        try s.dehubOK("init", s.work, in: s.directory.path)
        #expect(try s.head() == before)
    }
}
