import DehubCore
import DehubTestSupport
import Testing

@testable import DehubGit

@Suite struct ReferenceTests {
    /// main: c1 - c2 - c3, tag v1 (annotated) on c2, tag light on c3, branch side at c1.
    private func history() throws -> GitFixture {
        let fixture = try GitFixture.make()
        try fixture.write("a.txt", "1")
        try fixture.commit("c1")
        try fixture.git("branch", "side")
        try fixture.write("a.txt", "2")
        try fixture.commit("c2")
        try fixture.git("tag", "-a", "v1", "-m", "version 1")
        try fixture.write("a.txt", "3")
        try fixture.commit("c3")
        try fixture.git("tag", "light")
        return fixture
    }

    @Test func resolvesRevisionExpressionsToCommits() throws {
        let fixture = try history()
        let repo = try fixture.open()
        for revision in [
            "HEAD", "main", "HEAD~1", "HEAD^^", "side", "v1", "v1^{}", "light", "refs/heads/main",
            String(try fixture.revParse("HEAD~2").prefix(8)),
        ] {
            #expect(try repo.resolve(revision) == fixture.id("\(revision)^{commit}"), "\(revision)")
        }
    }

    @Test func unknownRevisionIsAClearError() throws {
        let fixture = try history()
        let repo = try fixture.open()
        let error = try #require(throws: GitError.self) { try repo.resolve("no-such-branch") }
        #expect(error.message.hasPrefix("unknown revision 'no-such-branch'"))
        #expect(throws: GitError.self) { try repo.resolve("HEAD~10") }
        #expect(throws: GitError.self) { try repo.resolve("a\u{0}b") }
    }

    @Test func revisionThatIsNotACommitIsAClearError() throws {
        let fixture = try history()
        let repo = try fixture.open()
        let error = try #require(throws: GitError.self) { try repo.resolve("HEAD^{tree}") }
        #expect(error.message.hasPrefix("revision 'HEAD^{tree}' names a tree, not a commit"))
        let blob = try #require(throws: GitError.self) { try repo.resolve("HEAD:a.txt") }
        #expect(blob.message.hasPrefix("revision 'HEAD:a.txt' names a blob, not a commit"))
    }

    @Test func currentBranchFollowsHEAD() throws {
        let fixture = try history()
        let repo = try fixture.open()
        #expect(try repo.currentBranch() == "main")
        try fixture.git("checkout", "--quiet", "side")
        #expect(try repo.currentBranch() == "side")
        try fixture.git("checkout", "--quiet", "--detach", "main")
        #expect(try repo.currentBranch() == nil)
        try fixture.git("checkout", "--quiet", "--orphan", "feature/unborn")
        #expect(try repo.currentBranch() == "feature/unborn")
        #expect(try repo.headCommit() == nil)
    }

    @Test func headCommitIsNilUntilTheFirstCommit() throws {
        let fixture = try GitFixture.make()
        #expect(try fixture.open().headCommit() == nil)
        try fixture.commit("first")
        #expect(try fixture.open().headCommit() == fixture.id("HEAD"))
        try fixture.git("checkout", "--quiet", "--detach")
        #expect(try fixture.open().headCommit() == fixture.id("HEAD"))
    }

    @Test func referenceByFullName() throws {
        let fixture = try history()
        let repo = try fixture.open()
        #expect(try repo.reference("refs/heads/main") == fixture.id("main"))
        #expect(try repo.reference("refs/heads/side") == fixture.id("side"))
        #expect(try repo.reference("refs/tags/v1") == fixture.id("v1^{commit}"))
        #expect(try repo.reference("HEAD") == fixture.id("HEAD"))
        #expect(try repo.reference("refs/heads/absent") == nil)
        #expect(throws: GitError.self) { try repo.reference("main") }  // not a full reference name
    }

    @Test func referenceToATreeIsAnError() throws {
        let fixture = try history()
        try fixture.git("update-ref", "refs/odd/tree", fixture.revParse("HEAD^{tree}"))
        let repo = try fixture.open()
        #expect(throws: GitError.self) { try repo.reference("refs/odd/tree") }
        #expect(throws: GitError.self) { try repo.reference("refs/heads/../x") }
    }

    @Test func listsAllReferencesPeeled() throws {
        let fixture = try history()
        try fixture.git("update-ref", "refs/odd/tree", fixture.revParse("HEAD^{tree}"))
        try fixture.git("symbolic-ref", "refs/heads/alias", "refs/heads/side")
        try fixture.git("pack-refs", "--all")
        try fixture.git("branch", "loose")
        let references = try fixture.open().references()
        let expected: [(String, String)] = [
            ("refs/heads/alias", "side"), ("refs/heads/loose", "main"), ("refs/heads/main", "main"),
            ("refs/heads/side", "side"), ("refs/odd/tree", "HEAD^{tree}"), ("refs/tags/light", "main"),
            ("refs/tags/v1", "v1^{commit}"),
        ]
        #expect(references.map(\.name) == expected.map(\.0))
        for (reference, (_, revision)) in zip(references, expected) {
            #expect(reference.id == (try fixture.id(revision)), "\(reference.name)")
        }
    }
}
