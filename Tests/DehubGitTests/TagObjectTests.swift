import DehubCore
import DehubTestSupport
import Foundation
import Testing

@testable import DehubGit

/// The tag port over libgit2 (format §13.1): annotated tags read strictly, other objects are not tags, oversized
/// tags are refused unread, and the tag objects dehub writes are ones git's `fsck --strict` accepts.
@Suite struct TagObjectTests {
    private let identity = [
        "GIT_COMMITTER_NAME": "Cy Committer", "GIT_COMMITTER_EMAIL": "cy@example.com", "GIT_COMMITTER_DATE": "@1700000000 +0000",
    ]

    @Test func readsAnnotatedTagsAndNothingElse() throws {
        let fixture = try GitFixture.make()
        let commit = try fixture.commit("first")
        try fixture.git("tag", "light")
        try fixture.git("tag", "-a", "--cleanup=verbatim", "-m", "Release v1\n\nbody\n", "v1")
        let tree = try fixture.revParse("HEAD^{tree}")
        try fixture.git("tag", "-a", "-m", "a tree", "treetag", tree)
        let repo = try fixture.open()

        let tag = try #require(try repo.annotatedTag(fixture.id("refs/tags/v1"), limit: 1 << 20))
        #expect(tag.name == "v1")
        #expect(tag.target == (try objectID(commit)))
        #expect(tag.targetIsCommit)
        #expect(tag.message == "Release v1\n\nbody\n")
        #expect(try repo.annotatedTag(objectID(commit), limit: 1 << 20) == nil, "a lightweight tag points at a commit")
        #expect(try repo.annotatedTag(fixture.id("refs/tags/light"), limit: 1 << 20) == nil)
        #expect(try repo.annotatedTag(objectID(tree), limit: 1 << 20) == nil)
        let treeTag = try #require(
            try repo.annotatedTag(objectID(try fixture.git("rev-parse", "refs/tags/treetag")), limit: 1 << 20))
        #expect(!treeTag.targetIsCommit)
        #expect(throws: TagTooLarge.self) { try repo.annotatedTag(fixture.id("refs/tags/v1"), limit: 100) }
    }

    @Test func refusesAMessageWithANulByte() throws {
        let fixture = try GitFixture.make()
        let commit = try fixture.commit("first")
        let raw = "object \(commit)\ntype commit\ntag v1\ntagger A <a@b> 1700000000 +0000\n\nhead\u{0}hidden\n"
        let id = try fixture.git(["hash-object", "-t", "tag", "-w", "--literally", "--stdin"], input: Array(raw.utf8))
        let repo = try fixture.open()
        #expect(throws: GitError.self) { try repo.annotatedTag(objectID(id), limit: 1 << 20) }
    }

    @Test func writesTagObjectsGitAgreesWith() throws {
        let fixture = try GitFixture.make()
        let commit = try fixture.commit("first")
        let repo = try fixture.open()
        let message = "Release v1.0: x\n\n---\ntype: tag\n  kept as is  \n"
        let id = try repo.createTagObject(name: "v1.0", target: objectID(commit), message: message, environment: identity)
        let raw = try fixture.gitOutput(["cat-file", "tag", id.hex]).stdoutText
        #expect(
            raw == "object \(commit)\ntype commit\ntag v1.0\ntagger Cy Committer <cy@example.com> 1700000000 +0000\n\n\(message)")
        #expect(try repo.referenceTarget("refs/tags/v1.0") == nil, "no reference moved")
        #expect(try repo.annotatedTag(id, limit: 1 << 20)?.message == message)
        try fixture.git("update-ref", "refs/tags/v1.0", id.hex)
        #expect(try fixture.git("fsck", "--strict", "--no-dangling") == "")
    }
}
