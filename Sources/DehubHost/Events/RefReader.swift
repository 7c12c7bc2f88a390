import DehubCore

/// Reads a repository's refs (`git for-each-ref`, so packed and loose refs alike): full name → object id.
/// Symbolic refs are left out (they move with their target).
struct RefReader: Sendable {
    /// The most refs output read (about 200,000 refs); a bigger repository is read up to it and flagged.
    static let limit = 16 * 1024 * 1024

    func refs(repoPath: String) async throws -> [String: String] {
        let text = try await GitCommand.check(
            ["-C", repoPath, "for-each-ref", "--format=%(objectname) %(refname) %(symref)"], limit: Self.limit)
        return Self.parse(text)
    }

    static func parse(_ text: String) -> [String: String] {
        var refs: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: false)
            guard words.count >= 2, words.count <= 3, RefEventText.isObjectID(words[0]), RefEventText.isRefName(words[1])
            else { continue }
            if words.count == 3, !words[2].isEmpty { continue }
            refs[String(words[1])] = String(words[0])
        }
        return refs
    }
}
