import DehubCore
import DehubTestSupport
import Testing

@testable import DehubGit

/// `changedFiles` must agree with `git diff-tree -r --raw --no-renames` entry for entry.
@Suite struct ChangedFilesTests {
    private let submoduleA = "1111111111111111111111111111111111111111"
    private let submoduleB = "2222222222222222222222222222222222222222"

    /// c1 (root) -> c2 (every kind of change) -> c3 (gitlink moves, gitlink becomes a file, dir back to file).
    private func history() throws -> (GitFixture, [String]) {
        let fixture = try GitFixture.make()
        try fixture.write("a.txt", "alpha\n")
        try fixture.write("dir/b.txt", "bravo\n")
        try fixture.write("space name.txt", "space\n")
        try fixture.write("ünïcödé/ñ.txt", "unicode\n")
        try fixture.write("exec.sh", "#!/bin/sh\n")
        try fixture.symlink("link", to: "a.txt")
        try fixture.write("tolink", "will become a symlink\n")
        try fixture.write("file2dir", "will become a directory\n")
        try fixture.write("dir2file/x.txt", "will become a file\n")
        try fixture.write("a-b", "sorts between\n")
        let c1 = try fixture.commit("c1")

        try fixture.write("a.txt", "alpha 2\n")
        try fixture.write("exec.sh", "#!/bin/sh\n", executable: true)
        try fixture.write("link", "now a regular file\n")
        try fixture.symlink("tolink", to: "dir/b.txt")
        try fixture.remove("file2dir")
        try fixture.write("file2dir/inner.txt", "inside\n")
        try fixture.remove("dir2file")
        try fixture.write("dir2file", "now a file\n")
        try fixture.remove("dir/b.txt")
        try fixture.write("dir/c.txt", "bravo\n")  // a rename: delete + add
        try fixture.remove("space name.txt")
        try fixture.write("new file ü.txt", "new\n")
        try fixture.git("add", "-A")
        try fixture.git("update-index", "--add", "--cacheinfo", "160000,\(submoduleA),sub")
        let c2 = try fixture.commit("c2", stageAll: false)

        try fixture.git("update-index", "--cacheinfo", "160000,\(submoduleB),sub")
        let blob = try fixture.hashObject("gitlink became a file\n")
        try fixture.git("update-index", "--add", "--cacheinfo", "160000,\(submoduleA),sub2")
        try fixture.git("update-index", "--force-remove", "a-b")
        try fixture.git("update-index", "--add", "--cacheinfo", "100644,\(blob),a-b")
        let c3 = try fixture.commit("c3", stageAll: false)
        try fixture.git("update-index", "--force-remove", "sub")
        try fixture.git("update-index", "--add", "--cacheinfo", "100644,\(blob),sub")
        try fixture.git("update-index", "--force-remove", "sub2")
        let c4 = try fixture.commit("c4", stageAll: false)
        return (fixture, [c1, c2, c3, c4])
    }

    @Test func agreesWithGitDiffTreeAcrossEveryKindOfChange() throws {
        let (fixture, commits) = try history()
        let repo = try fixture.open()
        let pairs: [(String?, String)] = [
            (nil, commits[0]), (commits[0], commits[1]), (commits[1], commits[2]),
            (commits[2], commits[3]), (commits[0], commits[3]), (commits[3], commits[0]),
        ]
        for (old, new) in pairs {
            let expected = try fixture.diffTree(old.map { "\($0)^{tree}" }, "\(new)^{tree}")
            let actual = try repo.changedFiles(
                from: old.map { try fixture.id("\($0)^{tree}") }, to: fixture.id("\(new)^{tree}"))
            #expect(actual == expected, "\(old ?? "empty") -> \(new)")
            #expect(!actual.isEmpty)
        }
    }

    @Test func changesOfACommitAreAgainstItsFirstParent() throws {
        let (fixture, commits) = try history()
        let repo = try fixture.open()
        for (index, commit) in commits.enumerated() {
            let info = try repo.commit(objectID(commit))
            let expected = try fixture.diffTree(index == 0 ? nil : "\(commit)~1^{tree}", "\(commit)^{tree}")
            #expect(try repo.changedFiles(of: info) == expected)
        }
    }

    @Test func specificShapes() throws {
        let (fixture, commits) = try history()
        let repo = try fixture.open()
        let c2 = try repo.changedFiles(of: repo.commit(objectID(commits[1])))
        func change(_ path: String) -> [FileChange] { c2.filter { $0.pathString == path } }

        // Blob -> symlink and symlink -> blob are one entry each (a type change).
        #expect(change("tolink").map { [$0.fromMode, $0.toMode] } == [[0o100644, 0o120000]])
        #expect(change("link").map { [$0.fromMode, $0.toMode] } == [[0o120000, 0o100644]])
        // Executable bit.
        #expect(change("exec.sh").map { [$0.fromMode, $0.toMode] } == [[0o100644, 0o100755]])
        #expect(change("exec.sh").first?.fromID == change("exec.sh").first?.toID)
        // A file replaced by a directory: the file goes, the files under the directory arrive.
        #expect(change("file2dir").map { [$0.fromMode, $0.toMode] } == [[0o100644, 0]])
        #expect(change("file2dir").first?.toID == .zero)
        #expect(change("file2dir/inner.txt").map { [$0.fromMode, $0.toMode] } == [[0, 0o100644]])
        #expect(change("file2dir/inner.txt").first?.fromID == .zero)
        // A rename is a deletion plus an addition of the same blob.
        #expect(change("dir/b.txt").first?.fromID == change("dir/c.txt").first?.toID)
        // Gitlinks keep mode 160000 and the commit id.
        let sub = try #require(change("sub").first)
        #expect(sub == FileChange(path: "sub", fromMode: 0, fromID: .zero, toMode: 0o160000, toID: try objectID(submoduleA)))
        // Raw UTF-8 path bytes, not git's quoted form.
        #expect(change("ünïcödé/ñ.txt").isEmpty)
        #expect(change("new file ü.txt").count == 1)
        // Sorted by path bytes.
        #expect(c2.map(\.path) == c2.map(\.path).sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func rootCommitIsComparedWithTheEmptyTree() throws {
        let (fixture, commits) = try history()
        let repo = try fixture.open()
        let root = try repo.changedFiles(of: repo.commit(objectID(commits[0])))
        #expect(root.count == 10)
        #expect(root.allSatisfy { $0.fromMode == 0 && $0.fromID == .zero && $0.toMode != 0 })
    }

    @Test func nonUTF8PathsKeepTheirBytes() throws {
        let fixture = try GitFixture.make()
        try fixture.commit("empty root")
        let blob = try fixture.hashObject("latin-1 name\n")
        var line = Array("100644 blob \(blob)\t".utf8)
        line += [0x63, 0x61, 0x66, 0xE9, 0x2E, 0x74, 0x78, 0x74, 0x0A]  // "café.txt" in Latin-1
        try fixture.git(["update-index", "--index-info"], input: line)
        let commit = try fixture.commit("latin-1", stageAll: false)
        let repo = try fixture.open()
        let changes = try repo.changedFiles(of: repo.commit(objectID(commit)))
        #expect(changes.map(\.path) == [[0x63, 0x61, 0x66, 0xE9, 0x2E, 0x74, 0x78, 0x74]])
        #expect(changes == (try fixture.diffTree("\(commit)~1^{tree}", "\(commit)^{tree}")))
    }

    @Test func identicalTreesHaveNoChanges() throws {
        let (fixture, commits) = try history()
        let repo = try fixture.open()
        let tree = try fixture.id("\(commits[2])^{tree}")
        #expect(try repo.changedFiles(from: tree, to: tree).isEmpty)
    }

    @Test func unknownTreeIsAnError() throws {
        let (fixture, commits) = try history()
        let repo = try fixture.open()
        #expect(throws: GitError.self) { try repo.changedFiles(from: nil, to: objectID(commits[0])) }  // a commit, not a tree
        #expect(throws: GitError.self) { try repo.changedFiles(from: nil, to: objectID(String(repeating: "0", count: 39) + "1")) }
    }
}
