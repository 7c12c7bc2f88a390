import DehubCore
import DehubTestSupport
import Testing

@testable import DehubGit

/// What the hook reads before it walks a push (issue 9): the commits the push brings, each one's size and type
/// from its object header before the object itself, and the refs' real, unpeeled current values.
@Suite struct PushedCommitsTests {
    @Test func findsTheNewCommitsAndStopsAtWhatTheRepositoryHad() throws {
        let fixture = try GitFixture.make()
        try fixture.commit("c1")
        let before = try fixture.clone(bare: true)
        try fixture.commit("c2")
        let tip = try fixture.commit("c3")
        let repo = try fixture.open()
        let old = try GitRepository.open(path: before.path)
        #expect(try repo.scanPushedCommits(from: [objectID(tip)], before: old, maxCount: 10) == 2)
        #expect(try repo.scanPushedCommits(from: [objectID(tip), fixture.id("HEAD~1")], before: old, maxCount: 2) == 2)
        #expect(throws: TooManyPushedCommits(limit: 1)) {
            try repo.scanPushedCommits(from: [objectID(tip)], before: old, maxCount: 1)
        }
    }

    /// As the hook sees a push of more than `receive.unpackLimit` objects: the repository's objects in a pack, the
    /// pushed ones in another. The scan asks the repository as it was about each commit without rescanning its pack
    /// directory on a miss; a pack that appears in it afterwards is not looked at, so its commits count as new.
    @Test func countsTheNewCommitsOfPackedRepositoriesWithoutRescanningPacks() throws {
        let fixture = try GitFixture.make()
        try fixture.commit("c1")
        let c2 = try fixture.commit("c2")
        let before = try fixture.clone(bare: true)
        try fixture.commit("c3")
        let tip = try fixture.commit("c4")
        try fixture.git("repack", "-adq")
        _ = try before.git("repack", "-adq")
        let repo = try fixture.open()
        let old = try GitRepository.open(path: before.path)
        #expect(old.hasObjectWithoutRefresh(try objectID(c2)))
        #expect(!old.hasObjectWithoutRefresh(try objectID(tip)))
        #expect(try repo.scanPushedCommits(from: [objectID(tip)], before: old, maxCount: 10) == 2)
        // c3 and c4 reach `before` in a new pack after it was opened: still new to this handle (more is read, never less).
        _ = try fixture.git("push", "-q", before.path, "main")
        _ = try before.git("repack", "-dq")
        #expect(!old.hasObjectWithoutRefresh(try objectID(tip)))
        #expect(try old.hasObject(objectID(tip)), "hasObject rescans the packs")
        let fresh = try GitRepository.open(path: before.path)
        #expect(fresh.hasObjectWithoutRefresh(try objectID(tip)))
        #expect(try repo.scanPushedCommits(from: [objectID(tip)], before: fresh, maxCount: 10) == 0)
    }

    @Test func refusesAnOversizedCommitFromItsHeader() throws {
        let fixture = try GitFixture.make()
        try fixture.commit("c1")
        let before = try fixture.clone(bare: true)
        let big = try fixture.commit("Big\n\n" + String(repeating: "a", count: 5_000))
        try fixture.commit("small after big")
        let repo = try fixture.open()
        repo.maxCommitObjectBytes = 4_096
        let error = try #require(throws: CommitTooLarge.self) {
            try repo.scanPushedCommits(from: [fixture.id("HEAD")], before: GitRepository.open(path: before.path), maxCount: 10)
        }
        #expect(error.commit == (try objectID(big)))
        #expect(error.size > 5_000 && error.limit == 4_096)
        // Every read of a commit is held to the same limit.
        #expect(throws: CommitTooLarge.self) { try repo.commit(objectID(big)) }
        repo.maxCommitObjectBytes = 1 << 20
        #expect(try repo.commit(objectID(big)).message.hasPrefix("Big"))
    }

    @Test func aTipThatIsNotACommitIsRefused() throws {
        let fixture = try GitFixture.make()
        try fixture.commit("c1")
        let before = try fixture.clone(bare: true)
        let blob = try fixture.hashObject("not a commit")
        let repo = try fixture.open()
        let error = try #require(throws: GitError.self) {
            try repo.scanPushedCommits(from: [objectID(blob)], before: GitRepository.open(path: before.path), maxCount: 10)
        }
        #expect(error.message.hasSuffix("is a blob, not a commit"))
    }

    @Test func readsTheUnpeeledCurrentValueOfARef() throws {
        let fixture = try GitFixture.make()
        let c1 = try fixture.commit("c1")
        try fixture.git("tag", "-a", "v1", "-m", "version 1")
        let repo = try fixture.open()
        #expect(try repo.referenceTarget("refs/heads/main") == objectID(c1))
        #expect(try repo.referenceTarget("refs/tags/v1") == fixture.id("refs/tags/v1"))
        #expect(try repo.referenceTarget("refs/tags/v1") != objectID(c1), "an annotated tag's ref points at the tag")
        #expect(try repo.referenceTarget("refs/heads/nothere") == nil)
        #expect(throws: GitError.self) { try repo.referenceTarget("refs/heads/a\u{0}b") }
    }
}
