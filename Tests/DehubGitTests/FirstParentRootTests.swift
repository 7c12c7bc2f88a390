import DehubCore
import DehubTestSupport
import Foundation
import Testing

@testable import DehubGit

/// `firstParentRoot(of:)`: the project id of format §6.7, found in constant memory and without reading oversized
/// commits.
@Suite struct FirstParentRootTests {
    @Test func followsFirstParentsToTheRoot() throws {
        let fixture = try GitFixture.make()
        try fixture.write("a", "a"); try fixture.commit("a")
        try fixture.git("branch", "side")
        try fixture.write("b", "b"); try fixture.commit("b")
        try fixture.git("checkout", "--quiet", "--orphan", "orphan")
        try fixture.git("rm", "-r", "--quiet", "--cached", ".")
        try fixture.write("o", "1"); try fixture.commit("o1")
        try fixture.git("checkout", "--quiet", "--force", "main")
        try fixture.git("merge", "--quiet", "--allow-unrelated-histories", "-m", "m", "orphan")
        let repo = try fixture.open()
        let root = try fixture.id("main~2")
        #expect(try repo.firstParentRoot(of: fixture.id("main")) == root, "the merge's second root does not count")
        #expect(try repo.firstParentRoot(of: root) == root, "a root is its own")
        #expect(try repo.firstParentRoot(of: fixture.id("orphan")) == fixture.id("orphan"))
        // The engine's fallback over `commit(_:)` agrees.
        struct Plain: RepositoryReading {
            let repo: GitRepository
            func commit(_ id: ObjectID) throws -> CommitInfo { try repo.commit(id) }
            func changedFiles(of commit: CommitInfo) throws -> [FileChange] { [] }
            func entryID(at path: String, inTree tree: ObjectID) throws -> ObjectID? { nil }
            func blob(at path: String, inTree tree: ObjectID, limit: Int) throws -> [UInt8]? { nil }
            func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool { false }
            func hasObject(_ id: ObjectID) throws -> Bool { try repo.hasObject(id) }
        }
        #expect(try Plain(repo: repo).firstParentRoot(of: fixture.id("main")) == root)
    }

    @Test func refusesToReadAnOversizedCommitOnTheWay() throws {
        let fixture = try GitFixture.make()
        try fixture.write("a", "a"); try fixture.commit("a")
        let tree = try fixture.git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)
        let message = String(repeating: "x", count: GitRepository.defaultMaxCommitObjectBytes + 1)
        let path = fixture.path + "/big-message"
        try message.write(toFile: path, atomically: true, encoding: .utf8)
        let big = try fixture.git("commit-tree", tree, "-p", "HEAD", "-F", path).trimmingCharacters(in: .whitespacesAndNewlines)
        let repo = try fixture.open()
        #expect(throws: CommitTooLarge.self) { try repo.firstParentRoot(of: ObjectID(hex: big)!) }
    }
}
