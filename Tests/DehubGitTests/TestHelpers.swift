import DehubCore
import DehubTestSupport
import Testing

@testable import DehubGit

/// An id from 40 hex digits, failing the test when they are not.
func objectID(_ hex: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ObjectID {
    try #require(ObjectID(hex: hex), "not an object id: '\(hex)'", sourceLocation: sourceLocation)
}

extension GitFixture {
    /// `rev-parse` as an ObjectID.
    func id(_ revision: String) throws -> ObjectID { try objectID(try revParse(revision)) }

    /// Opens this fixture with libgit2.
    func open() throws -> GitRepository { try GitRepository.open(path: path) }

    /// What `git diff-tree -r --raw --no-renames` reports between two trees (nil = the empty tree), as FileChanges.
    func diffTree(_ old: String?, _ new: String) throws -> [FileChange] {
        let emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
        let output = try gitOutput(["diff-tree", "-r", "--raw", "--no-renames", "-z", "--abbrev=40", old ?? emptyTree, new])
        #expect(output.status == 0, "\(output.stderrText)")
        // Records: ":oldmode newmode oldid newid status\0path\0"
        let fields = output.stdout.split(separator: 0, omittingEmptySubsequences: false)
        var changes: [FileChange] = []
        var index = 0
        while index + 1 < fields.count {
            let meta = String(decoding: fields[index], as: UTF8.self).dropFirst().split(separator: " ")
            let path = Array(fields[index + 1])
            index += 2
            guard meta.count == 5, let fromMode = UInt32(meta[0], radix: 8), let toMode = UInt32(meta[1], radix: 8)
            else {
                Issue.record("unexpected diff-tree record \(meta)")
                continue
            }
            changes.append(
                FileChange(
                    path: path, fromMode: fromMode, fromID: try objectID(String(meta[2])),
                    toMode: toMode, toID: try objectID(String(meta[3]))))
        }
        return changes.sorted { $0.path.lexicographicallyPrecedes($1.path) }
    }

    /// Writes a blob with `git hash-object -w --stdin`.
    func hashObject(_ content: String) throws -> String {
        try git(["hash-object", "-w", "--stdin"], input: Array(content.utf8))
    }
}
