import DehubCore
import Testing

@testable import DehubGit

@Suite struct RawCommitTests {
    private let tree = String(repeating: "a", count: 40)
    private let parent = String(repeating: "b", count: 40)
    private let people = "author A <a@example.com> 1700000000 +0000\ncommitter C <c@example.com> 1700000000 +0000\n"

    private func parse(_ text: String) throws -> RawCommit {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { try RawCommit.parse($0) }
    }

    @Test func parsesTreeParentsAndTheExactMessage() throws {
        let raw = try parse("tree \(tree)\nparent \(parent)\nparent \(tree)\n\(people)\n  message \n\n")
        #expect(raw.tree == ObjectID(hex: tree))
        #expect(raw.parents == [ObjectID(hex: parent), ObjectID(hex: tree)].compactMap { $0 })
        #expect(raw.message == Array("  message \n\n".utf8))
    }

    @Test func skipsOtherHeadersIncludingASignatureWithBlankLookingLines() throws {
        let signature = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEz\n -----END PGP SIGNATURE-----\n"
        let raw = try parse("tree \(tree)\n\(people)encoding ISO-8859-1\n\(signature)\nbody")
        #expect(raw.parents.isEmpty)
        #expect(raw.message == Array("body".utf8))
    }

    @Test func emptyMessage() throws {
        #expect(try parse("tree \(tree)\n\(people)\n").message == [])
    }

    @Test(arguments: [
        ("", "has no empty line after its headers"),
        ("tree \(String(repeating: "a", count: 40))\n", "has no empty line after its headers"),
        ("parent \(String(repeating: "b", count: 40))\n\n", "does not start with a tree line"),
        ("tree abc\n\n", "does not start with a tree line"),
        ("tree \(String(repeating: "g", count: 40))\n\n", "does not start with a tree line"),
        ("tree \(String(repeating: "a", count: 40))\nparent 123\n\n", "has a malformed parent line"),
        ("tree \(String(repeating: "a", count: 40))\ncommitter C <c> 1 +0000\n\n", "has no author line"),
        ("tree \(String(repeating: "a", count: 40))\nauthor A <a> 1 +0000\n\n", "has no committer line"),
        (
            "tree \(String(repeating: "a", count: 40))\nauthor A <a> 1 +0000\ncommitter C <c> 1 +0000",
            "has no empty line after its headers"
        ),
        (
            "tree \(String(repeating: "a", count: 40))\nauthor A <a> 1 +0000\ncommitter C <c> 1 +0000\n\nx\u{0}y",
            "has a NUL byte in its message"
        ),
    ])
    func refusesMalformedCommits(text: String, problem: String) {
        #expect(throws: GitError(problem)) { try parse(text) }
    }
}
