import DehubCore
import DehubTestSupport
import Foundation
import Testing

@testable import DehubGit

/// The verdict cache's file (format §9.3) in a real repository: where it lives (the common git directory, shared
/// by linked work trees), that it is replaced whole, and that anything unreadable or oversized reads as no cache.
@Suite struct VerdictCacheFileStoreTests {
    @Test func livesInTheGitDirectoryAndRoundTrips() throws {
        let fixture = try GitFixture.make()
        let store = VerdictCacheFileStore(repository: try fixture.open())
        #expect(store.path == fixture.path + "/.git/dehub/verdicts-v1")
        #expect(store.read(limit: 1 << 20) == nil)
        try store.write([1, 2, 3])
        #expect(store.read(limit: 1 << 20) == [1, 2, 3])
        try store.write(Array(repeating: 7, count: 100))
        #expect(store.read(limit: 1 << 20) == Array(repeating: 7, count: 100))
        let left = try FileManager.default.contentsOfDirectory(atPath: fixture.path + "/.git/dehub")
        #expect(left == ["verdicts-v1"], "no temporary file left behind")
    }

    @Test func aBareRepositoryKeepsItInItsOwnDirectory() throws {
        let fixture = try GitFixture.make(bare: true)
        #expect(VerdictCacheFileStore(repository: try fixture.open()).path == fixture.path + "/dehub/verdicts-v1")
    }

    @Test func linkedWorkTreesShareTheCache() throws {
        let fixture = try GitFixture.make()
        try fixture.write("a.txt", "a")
        _ = try fixture.git(["add", "-A"])
        _ = try fixture.git(["commit", "-q", "-m", "first"])
        let other = try TemporaryDirectory()
        _ = try fixture.git(["worktree", "add", "-q", "-b", "side", other.path + "/side"])
        let linked = try GitRepository.open(path: other.path + "/side")
        #expect(VerdictCacheFileStore(repository: linked).path == fixture.path + "/.git/dehub/verdicts-v1")
    }

    @Test func oversizedOrUnreadableIsNoCache() throws {
        let fixture = try GitFixture.make()
        let store = VerdictCacheFileStore(repository: try fixture.open())
        try store.write(Array(repeating: 1, count: 64))
        #expect(store.read(limit: 63) == nil)
        #expect(store.read(limit: 64)?.count == 64)
        try FileManager.default.removeItem(atPath: store.path)
        try FileManager.default.createDirectory(atPath: store.path, withIntermediateDirectories: false)
        #expect(store.read(limit: 1 << 20) == nil, "a directory in its place")
        #expect(throws: GitError.self) { try store.write([1]) }
    }

    /// A cache file that is not a valid one (truncated here) is an empty cache, and the next save replaces it.
    @Test func aBrokenFileIsReplacedByTheNextSave() throws {
        let fixture = try GitFixture.make()
        let store = VerdictCacheFileStore(repository: try fixture.open())
        let key = VerdictKey(digest: Array(repeating: 9, count: 32))!
        try store.write(Array(VerdictCacheFile.encode([key]).dropLast()))
        let cache = VerdictCache(store: store)
        #expect(cache.loadedCount == 0)
        #expect(!cache.contains(key))
        cache.record(key)
        try cache.save(to: store)
        #expect(VerdictCache(store: store).contains(key))
    }
}
