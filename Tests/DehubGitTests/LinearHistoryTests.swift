import DehubCore
import DehubTestSupport
import Foundation
import Testing

@testable import DehubGit

/// `linearHistory(from:excluding:)`: the one-pass first-parent walk that `dehub verify` lists a history with. On a
/// line of single-parent commits it gives exactly what the topological walk gives (and what the commits say: parent,
/// tree, head); anywhere else (a merge, an excluded commit off the line, an object missing or too large) it gives
/// nil, so that the caller falls back to the full walk, which handles and reports each case.
@Suite struct LinearHistoryTests {
    /// main: a - b - c - d (one line); `side` branches off at b with s1.
    private func line() throws -> GitFixture {
        let fixture = try GitFixture.make()
        for name in ["a", "b"] {
            try fixture.write(name, name)
            _ = try fixture.commit(name)
        }
        try fixture.git("branch", "side")
        try fixture.write("c", "c")
        _ = try fixture.commit("c\r\n\r\nbody")
        try fixture.write("d", "d")
        _ = try fixture.commit("d head\n\nbody")
        try fixture.git("checkout", "--quiet", "side")
        try fixture.write("s", "s")
        _ = try fixture.commit("s1")
        try fixture.git("checkout", "--quiet", "main")
        return fixture
    }

    @Test func aLineIsListedAsTheTopologicalWalkListsIt() throws {
        let fixture = try line()
        let repo = try fixture.open()
        let tip = try fixture.id("main")
        for excluding in [nil, try fixture.id("main~1"), try fixture.id("main~3"), tip] {
            let links = try #require(
                repo.linearHistory(from: tip, excluding: excluding), "excluding \(String(describing: excluding))")
            #expect(links.map(\.id) == (try repo.commits(from: tip, excluding: excluding.map { [$0] } ?? [])))
            for link in links {
                let commit = try repo.commit(link.id)
                #expect(link.parent == commit.parents.first)
                #expect(link.tree == commit.tree)
                #expect(link.head == commit.head)
            }
        }
        let all = try #require(repo.linearHistory(from: tip))
        #expect(all.count == 4)
        #expect(all.first?.parent == nil)
        #expect(all.map(\.head) == ["a", "b", "c", "d head"])
    }

    /// Anything but a line ending at the excluded commit (or a root) is left to the full walk.
    @Test func whatIsNotALineIsLeftToTheFullWalk() throws {
        let fixture = try line()
        let repo = try fixture.open()
        // The excluded commit is not on the line (a side branch), or is a descendant of the tip.
        #expect(repo.linearHistory(from: try fixture.id("main"), excluding: try fixture.id("side")) == nil)
        #expect(repo.linearHistory(from: try fixture.id("main~1"), excluding: try fixture.id("main")) == nil)
        // A merge on the way.
        try fixture.git("merge", "--quiet", "--no-ff", "-m", "m", "side")
        try fixture.write("e", "e")
        _ = try fixture.commit("e")
        #expect(repo.linearHistory(from: try fixture.id("main")) == nil)
        #expect(repo.linearHistory(from: try fixture.id("main"), excluding: try fixture.id("main~2")) == nil)
        // Above the merge it is a line again.
        #expect(repo.linearHistory(from: try fixture.id("main"), excluding: try fixture.id("main~1"))?.count == 1)
        #expect(try repo.commits(from: try fixture.id("main"), excluding: []).count == 7)
    }

    /// A commit whose object is gone (a corrupt or shallow repository) ends the fast walk; the full walk then says
    /// what is wrong.
    @Test func aMissingCommitIsLeftToTheFullWalk() throws {
        let fixture = try line()
        let middle = try fixture.revParse("main~2")
        let object = fixture.path + "/.git/objects/" + middle.prefix(2) + "/" + middle.dropFirst(2)
        try FileManager.default.removeItem(atPath: object)
        let repo = try fixture.open()
        #expect(repo.linearHistory(from: try fixture.id("main")) == nil)
        #expect(repo.linearHistory(from: try fixture.id("main"), excluding: try fixture.id("main~1"))?.count == 1)
        #expect(throws: GitError.self) { try repo.commits(from: try fixture.id("main"), excluding: []) }
    }

    /// A commit larger than the handle's limit ends the fast walk (the verifier then refuses it from its header).
    @Test func anOversizedCommitIsLeftToTheFullWalk() throws {
        let fixture = try line()
        let tree = try fixture.git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)
        let message = String(repeating: "x", count: GitRepository.defaultMaxCommitObjectBytes + 1)
        let path = fixture.path + "/big-message"
        try message.write(toFile: path, atomically: true, encoding: .utf8)
        let big = try fixture.git("commit-tree", tree, "-p", "HEAD", "-F", path).trimmingCharacters(in: .whitespacesAndNewlines)
        let repo = try fixture.open()
        #expect(repo.linearHistory(from: try objectID(big)) == nil)
        repo.maxCommitObjectBytes = 4 << 20
        #expect(repo.linearHistory(from: try objectID(big))?.count == 5)
    }
}
