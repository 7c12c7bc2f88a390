import DehubCore
import DehubTestSupport
import Testing

@testable import DehubGit

/// Attack: a pushed commit carries a hand-made tree that git refuses to check out (duplicate names, a file and
/// a directory of one name, unsorted entries, `..`), hoping the verifier reads one entry and a checkout another.
/// The diff must refuse such trees rather than guess.
@Suite struct MalformedTreeTests {
    private struct RawEntry {
        var mode: String
        var name: [UInt8]
        var id: String
    }

    /// Writes a tree object exactly as given, bypassing git's checks.
    private func writeTree(_ fixture: GitFixture, _ entries: [RawEntry]) throws -> ObjectID {
        var raw: [UInt8] = []
        for entry in entries {
            raw += Array("\(entry.mode) ".utf8) + entry.name + [0]
            raw += try objectID(entry.id).bytes
        }
        return try objectID(fixture.git(["hash-object", "-t", "tree", "-w", "--stdin", "--literally"], input: raw))
    }

    private func entries(_ fixture: GitFixture) throws -> (blob: String, tree: String) {
        let blob = try fixture.hashObject("content\n")
        let tree = try fixture.git(["mktree"], input: Array("100644 blob \(blob)\tinner\n".utf8))
        return (blob, tree)
    }

    @Test func wellFormedHandMadeTreeIsRead() throws {
        let fixture = try GitFixture.make()
        let (blob, tree) = try entries(fixture)
        let root = try writeTree(
            fixture,
            [
                RawEntry(mode: "100644", name: Array("a".utf8), id: blob),
                RawEntry(mode: "40000", name: Array("a-dir".utf8), id: tree),
                RawEntry(mode: "100644", name: Array("a.txt".utf8), id: blob),
                RawEntry(mode: "40000", name: Array("b".utf8), id: tree),
                RawEntry(mode: "100644", name: Array("b0".utf8), id: blob),
            ])
        let changes = try fixture.open().changedFiles(from: nil, to: root)
        #expect(changes.map(\.pathString) == ["a", "a-dir/inner", "a.txt", "b/inner", "b0"])
        #expect(changes == (try fixture.diffTree(nil, root.hex)))
    }

    @Test(arguments: [
        ("duplicate file", [("100644", "a", false), ("100644", "a", false)], "has two entries named 'a'"),
        ("duplicate tree", [("40000", "d", true), ("40000", "d", true)], "has two entries named 'd'"),
        (
            "file and tree", [("100644", "a", false), ("100644", "a.txt", false), ("40000", "a", true)],
            "has a file and a directory both named 'a'"
        ),
        ("unsorted", [("100644", "b", false), ("100644", "a", false)], "is not sorted (at 'a')"),
        ("dot dot", [("40000", "..", true)], "has an entry named '..'"),
        ("dot", [("100644", ".", false)], "has an entry named '.'"),
        ("slash", [("100644", "a/b", false)], "has an entry named 'a/b'"),
    ])
    func malformedTreesAreRefused(label: String, shape: [(String, String, Bool)], problem: String) throws {
        let fixture = try GitFixture.make()
        let (blob, tree) = try entries(fixture)
        let root = try writeTree(fixture, shape.map { RawEntry(mode: $0.0, name: Array($0.1.utf8), id: $0.2 ? tree : blob) })
        let repo = try fixture.open()
        do {
            _ = try repo.changedFiles(from: nil, to: root)
            Issue.record("\(label): no error")
        } catch let error as GitError {
            // libgit2 parses all of these shapes; our walk is what refuses them.
            #expect(error.message == "malformed git tree: the root tree \(problem)", "\(label)")
        }

        // Nested one level down, reached from a well-formed parent tree.
        let outer = try writeTree(fixture, [RawEntry(mode: "40000", name: Array("dir".utf8), id: root.hex)])
        let nested = try #require(throws: GitError.self, "\(label) nested") {
            try repo.changedFiles(from: objectID(tree), to: outer)
        }
        #expect(nested.message == "malformed git tree: tree 'dir' \(problem)", "\(label)")
    }
}
