import DehubCore
import DehubTestSupport
import Testing

@testable import DehubGit

@Suite struct WalkingTests {
    /// main: a - b - c - m(merge of c and f) - g; feature: a - e - f; orphan: o1 - o2 merged into main at h.
    private func history() throws -> GitFixture {
        let fixture = try GitFixture.make()
        try fixture.write("a", "a"); try fixture.commit("a")
        try fixture.git("branch", "feature")
        try fixture.write("b", "b"); try fixture.commit("b")
        try fixture.write("c", "c"); try fixture.commit("c")
        try fixture.git("checkout", "--quiet", "feature")
        try fixture.write("e", "e"); try fixture.commit("e")
        try fixture.write("f", "f"); try fixture.commit("f")
        try fixture.git("checkout", "--quiet", "main")
        try fixture.git("merge", "--quiet", "--no-ff", "-m", "m", "feature")
        try fixture.write("g", "g"); try fixture.commit("g")
        try fixture.git("checkout", "--quiet", "--orphan", "orphan")
        try fixture.git("rm", "-r", "--quiet", "--cached", ".")
        try fixture.write("o", "1"); try fixture.commit("o1")
        try fixture.write("o", "2"); try fixture.commit("o2")
        try fixture.git("checkout", "--quiet", "--force", "main")
        try fixture.git("merge", "--quiet", "--allow-unrelated-histories", "-m", "h", "orphan")
        return fixture
    }

    private func revList(_ fixture: GitFixture, _ arguments: String...) throws -> [ObjectID] {
        let output = try fixture.git(["rev-list", "--topo-order", "--reverse"] + arguments)
        return try output.split(separator: "\n").map { try objectID(String($0)) }
    }

    @Test func commitsFromATipExcludingOthersMatchRevList() throws {
        let fixture = try history()
        let repo = try fixture.open()
        let all = try repo.commits(from: fixture.id("main"), excluding: [])
        #expect(Set(all) == Set(try revList(fixture, "main")))
        #expect(all.count == 10)
        let range = try repo.commits(from: fixture.id("main"), excluding: [fixture.id("main~2")])
        #expect(Set(range) == Set(try revList(fixture, "main", "^main~2")))
        let two = try repo.commits(from: fixture.id("main"), excluding: [fixture.id("feature"), fixture.id("orphan")])
        #expect(Set(two) == Set(try revList(fixture, "main", "^feature", "^orphan")))
        #expect(try repo.commits(from: fixture.id("main"), excluding: [fixture.id("main")]).isEmpty)
    }

    @Test func commitsComeParentsFirst() throws {
        let fixture = try history()
        let repo = try fixture.open()
        let order = try repo.commits(from: fixture.id("main"), excluding: [])
        var position: [ObjectID: Int] = [:]
        for (index, id) in order.enumerated() { position[id] = index }
        for id in order {
            for parent in try repo.commit(id).parents {
                #expect(try #require(position[parent]) < (try #require(position[id])))
            }
        }
        #expect(order.last == (try fixture.id("main")))
    }

    @Test func linearHistoryIsOldestFirst() throws {
        let fixture = try GitFixture.make()
        var made: [ObjectID] = []
        for index in 0..<5 {
            try fixture.write("f", "\(index)")
            made.append(try objectID(try fixture.commit("c\(index)")))
        }
        #expect(try fixture.open().commits(from: made[4], excluding: [made[1]]) == Array(made[2...]))
    }

    @Test func commitsNotReachableFromAnyRefAreTheNewOnes() throws {
        let fixture = try history()
        // Two commits that no reference reaches yet, on top of main.
        let tree = try fixture.revParse("main^{tree}")
        let first = try fixture.git("commit-tree", tree, "-p", "main", "-m", "new 1")
        let second = try fixture.git("commit-tree", tree, "-p", first, "-m", "new 2")
        let repo = try fixture.open()
        #expect(try repo.commitsNotReachableFromAnyRef(objectID(second)) == [objectID(first), objectID(second)])
        #expect(try repo.commitsNotReachableFromAnyRef(fixture.id("feature")).isEmpty)
        #expect(
            Set(try repo.commitsNotReachableFromAnyRef(objectID(second)))
                == Set(try revList(fixture, second, "--not", "--all")))
    }

    @Test func detachedHEADCountsAsAReference() throws {
        let fixture = try GitFixture.make()
        try fixture.commit("base")
        try fixture.git("checkout", "--quiet", "--detach")
        let detached = try fixture.commit("only reachable from HEAD")
        let repo = try fixture.open()
        #expect(try repo.commitsNotReachableFromAnyRef(objectID(detached)).isEmpty)
    }

    @Test func inABareRepositoryWithNoReferencesEverythingIsNew() throws {
        let source = try GitFixture.make()
        try source.commit("one")
        try source.commit("two")
        let bare = try GitFixture.make(bare: true)
        try source.git("push", "--quiet", bare.path, "main:refs/heads/main")
        try bare.git("update-ref", "-d", "refs/heads/main")
        let repo = try bare.open()
        #expect(try repo.commitsNotReachableFromAnyRef(source.id("main")) == [source.id("main~1"), source.id("main")])
    }

    @Test func rootCommitsOfAHistoryWithTwoRoots() throws {
        let fixture = try history()
        let repo = try fixture.open()
        let roots = try repo.rootCommits(of: fixture.id("main"))
        #expect(Set(roots) == Set(try revList(fixture, "--max-parents=0", "main")))
        #expect(roots.count == 2)
        #expect(try repo.rootCommits(of: fixture.id("feature")) == [fixture.id("feature~2")])
        #expect(try repo.rootCommits(of: fixture.id("orphan")) == [fixture.id("orphan~1")])
    }

    @Test func walkingFromAnUnknownCommitFails() throws {
        let fixture = try history()
        let repo = try fixture.open()
        let missing = try objectID(String(repeating: "ab", count: 20))
        #expect(throws: GitError.self) { try repo.commits(from: missing, excluding: []) }
        #expect(throws: GitError.self) { try repo.commits(from: fixture.id("main"), excluding: [missing]) }
    }
}
