import DehubCore
import DehubTestSupport
import Testing

@testable import DehubGit

@Suite struct ReadingTests {
    @Test func commitCarriesParentsTreeAndTheRawMessage() throws {
        let fixture = try GitFixture.make()
        try fixture.commit("first")
        try fixture.write("a.txt", "a")
        let message = "  Subject with spaces  \n\n---\ntype: change\n\n\n  trailing  \n\n"
        let id = try fixture.commit(message)
        let commit = try fixture.open().commit(objectID(id))
        #expect(commit.id == (try objectID(id)))
        #expect(commit.message == message)
        #expect(commit.parents == [try fixture.id("HEAD~1")])
        #expect(commit.tree == (try fixture.id("HEAD^{tree}")))
        #expect(commit.head == "  Subject with spaces  ")
    }

    @Test func messageWithoutATrailingNewlineAndMergeParents() throws {
        let fixture = try GitFixture.make()
        try fixture.commit("base")
        let tree = try fixture.revParse("HEAD^{tree}")
        let other = try fixture.git("commit-tree", tree, "-m", "other")
        let merge = try fixture.git(["commit-tree", tree, "-p", "HEAD", "-p", other], input: Array("no newline".utf8))
        let commit = try fixture.open().commit(objectID(merge))
        #expect(commit.message == "no newline")
        #expect(commit.parents == [try fixture.id("HEAD"), try objectID(other)])
    }

    @Test func emptyMessage() throws {
        let fixture = try GitFixture.make()
        let tree = try fixture.git("write-tree")
        let id = try fixture.git(["commit-tree", tree], input: [])
        #expect(try fixture.open().commit(objectID(id)).message == "")
    }

    @Test func messageWithANulByteIsRefused() throws {
        let fixture = try GitFixture.make()
        let tree = try fixture.git("write-tree")
        var raw = Array(
            "tree \(tree)\nauthor A <a@example.com> 1700000000 +0000\ncommitter A <a@example.com> 1700000000 +0000\n\n".utf8)
        raw += Array("visible".utf8) + [0] + Array("hidden\n".utf8)
        let id = try fixture.git(["hash-object", "-t", "commit", "-w", "--stdin", "--literally"], input: raw)
        let error = try #require(throws: GitError.self) { try fixture.open().commit(objectID(id)) }
        #expect(error.message == "commit \(id) has a NUL byte in its message")
    }

    @Test func unknownCommitIsAnError() throws {
        let fixture = try GitFixture.make()
        try fixture.commit("base")
        let repo = try fixture.open()
        #expect(throws: GitError.self) { try repo.commit(objectID(String(repeating: "ab", count: 20))) }
        #expect(throws: GitError.self) { try repo.commit(fixture.id("HEAD^{tree}")) }
    }

    private func treeFixture() throws -> (GitFixture, ObjectID) {
        let fixture = try GitFixture.make()
        try fixture.write(".dehub/config.yml", "version: 1\n")
        try fixture.write("dir/sub/file.bin", bytes: [0, 1, 2, 255])
        try fixture.write("empty", "")
        try fixture.symlink("link", to: "dir/sub/file.bin")
        try fixture.git("add", "-A")
        try fixture.git("update-index", "--add", "--cacheinfo", "160000,\(String(repeating: "3", count: 40)),module")
        try fixture.commit("tree", stageAll: false)
        return (fixture, try fixture.id("HEAD^{tree}"))
    }

    @Test func entryIDsOfTreesBlobsAndGitlinks() throws {
        let (fixture, tree) = try treeFixture()
        let repo = try fixture.open()
        for path in [".dehub", ".dehub/config.yml", "dir", "dir/sub", "dir/sub/file.bin", "link", "empty"] {
            #expect(try repo.entryID(at: path, inTree: tree) == fixture.id("HEAD:\(path)"), "\(path)")
        }
        #expect(try repo.entryID(at: "module", inTree: tree) == objectID(String(repeating: "3", count: 40)))
        for path in [
            "absent", "dir/absent", "dir/sub/file.bin/deeper", "", ".dehub/config.yml\u{0}x", "/dir", "dir/",
            "dir//sub", "./dir", "dir/../dir", "dir/sub/.",
        ] {
            #expect(try repo.entryID(at: path, inTree: tree) == nil, "\(path)")
        }
    }

    @Test func blobsAreReadExactlyAndOnlyWhenTheyAreBlobs() throws {
        let (fixture, tree) = try treeFixture()
        let repo = try fixture.open()
        #expect(try repo.blob(at: ".dehub/config.yml", inTree: tree, limit: 1024) == Array("version: 1\n".utf8))
        #expect(try repo.blob(at: "dir/sub/file.bin", inTree: tree, limit: 4) == [0, 1, 2, 255])
        #expect(try repo.blob(at: "empty", inTree: tree, limit: 0) == [])
        #expect(try repo.blob(at: "link", inTree: tree, limit: 100) == Array("dir/sub/file.bin".utf8))
        #expect(try repo.blob(at: "dir", inTree: tree, limit: 100) == nil)
        #expect(try repo.blob(at: "module", inTree: tree, limit: 100) == nil)
        #expect(try repo.blob(at: "absent.yml", inTree: tree, limit: 100) == nil)
    }

    @Test func blobOverTheLimitIsRefused() throws {
        let (fixture, tree) = try treeFixture()
        let repo = try fixture.open()
        let error = try #require(throws: GitError.self) { try repo.blob(at: ".dehub/config.yml", inTree: tree, limit: 10) }
        #expect(error.message == "'.dehub/config.yml' is 11 bytes, more than the limit of 10 bytes")
    }

    @Test func largePackedBlobIsRefusedBeforeItIsRead() throws {
        let fixture = try GitFixture.make()
        try fixture.write("big", String(repeating: "0123456789abcdef", count: 1 << 16))  // 1 MiB
        try fixture.commit("big")
        try fixture.git("gc", "--quiet")
        let repo = try fixture.open()
        let tree = try fixture.id("HEAD^{tree}")
        #expect(throws: GitError.self) { try repo.blob(at: "big", inTree: tree, limit: 1 << 20 - 1) }
        #expect(try repo.blob(at: "big", inTree: tree, limit: 1 << 20)?.count == 1 << 20)
    }

    @Test func ancestry() throws {
        let fixture = try GitFixture.make()
        try fixture.commit("a")
        try fixture.git("branch", "side")
        try fixture.commit("b")
        try fixture.git("checkout", "--quiet", "side")
        try fixture.commit("c")
        let repo = try fixture.open()
        let a = try fixture.id("side~1"), b = try fixture.id("main"), c = try fixture.id("side")
        #expect(try repo.isAncestor(a, of: b))
        #expect(try repo.isAncestor(a, of: c))
        #expect(try repo.isAncestor(b, of: b))
        #expect(try repo.isAncestor(b, of: a) == false)
        #expect(try repo.isAncestor(b, of: c) == false)
        #expect(try repo.isAncestor(c, of: b) == false)
    }
}
