import DehubCore
import DehubTestSupport
import Foundation
import Testing

@testable import DehubGit

@Suite struct WritingTests {
    private let identity = [
        "GIT_AUTHOR_NAME": "Ada Author", "GIT_AUTHOR_EMAIL": "ada@example.com", "GIT_AUTHOR_DATE": "@1700000000 +0100",
        "GIT_COMMITTER_NAME": "Cy Committer", "GIT_COMMITTER_EMAIL": "cy@example.com",
        "GIT_COMMITTER_DATE": "Tue, 14 Nov 2023 22:13:20 -0500",
    ]

    @Test func indexTreeIsWhatGitWriteTreeWrites() throws {
        let fixture = try GitFixture.make()
        try fixture.write("a.txt", "a")
        try fixture.write("d/b.txt", "b")
        try fixture.git("add", "a.txt")
        let repo = try fixture.open()
        #expect(try repo.indexTree() == (try objectID(fixture.git("write-tree"))))
        try fixture.git("add", "d")  // staged after the repository was opened
        #expect(try repo.indexTree() == (try objectID(fixture.git("write-tree"))))
    }

    @Test func createsACommitGitAgreesWith() throws {
        let fixture = try GitFixture.make()
        let parent = try fixture.commit("parent")
        try fixture.write("a.txt", "a")
        try fixture.git("add", "a.txt")
        let repo = try fixture.open()
        let tree = try repo.indexTree()
        let message = "subject\n\n---\ntype: change\n  kept as is  \n\n"
        let id = try repo.createCommit(tree: tree, parents: [objectID(parent)], message: message, environment: identity)

        let raw = try fixture.gitOutput(["cat-file", "commit", id.hex]).stdoutText
        #expect(
            raw == """
                tree \(tree.hex)
                parent \(parent)
                author Ada Author <ada@example.com> 1700000000 +0100
                committer Cy Committer <cy@example.com> 1700018000 -0500

                \(message)
                """)
        #expect(try fixture.git("fsck", "--strict", "--no-dangling") == "")
        #expect(try repo.commit(id).message == message)
        #expect(try fixture.git("rev-parse", "HEAD") == parent)  // no reference moved
    }

    @Test func rootAndMergeCommits() throws {
        let fixture = try GitFixture.make()
        let repo = try fixture.open()
        let tree = try repo.indexTree()
        let root = try repo.createCommit(tree: tree, parents: [], message: "root\n", environment: identity)
        let other = try repo.createCommit(tree: tree, parents: [], message: "other\n", environment: identity)
        let merge = try repo.createCommit(tree: tree, parents: [root, other], message: "merge\n", environment: identity)
        #expect(try repo.commit(merge).parents == [root, other])
        #expect(try repo.commit(root).parents.isEmpty)
    }

    @Test func identityComesFromConfigWhenTheEnvironmentHasNone() throws {
        let fixture = try GitFixture.make()
        try fixture.setConfig("user.name", "Config User")
        try fixture.setConfig("user.email", "config@example.com")
        try fixture.setConfig("committer.name", "Config Committer")
        let repo = try fixture.open()
        let id = try repo.createCommit(
            tree: repo.indexTree(), parents: [], message: "m\n", environment: ["GIT_AUTHOR_DATE": "@1700000000 +0000"])
        let raw = try fixture.git("cat-file", "commit", id.hex)
        #expect(raw.contains("\nauthor Config User <config@example.com> 1700000000 +0000\n"))
        #expect(raw.contains("\ncommitter Config Committer <config@example.com> "))
    }

    @Test func missingIdentityIsAClearError() throws {
        let fixture = try GitFixture.make()
        try fixture.setConfig("user.email", "")  // hides any email of the test process's own HOME
        let repo = try fixture.open()
        let error = try #require(throws: GitError.self) {
            try repo.createCommit(tree: repo.indexTree(), parents: [], message: "m", environment: ["GIT_AUTHOR_NAME": "A"])
        }
        #expect(error.message.hasPrefix("no author email: set it with `git config user.email"))
    }

    @Test func badDateIsAClearError() throws {
        let fixture = try GitFixture.make()
        let repo = try fixture.open()
        var environment = identity
        environment["GIT_COMMITTER_DATE"] = "yesterday"
        let error = try #require(throws: GitError.self) {
            try repo.createCommit(tree: repo.indexTree(), parents: [], message: "m", environment: environment)
        }
        #expect(error.message.hasPrefix("GIT_COMMITTER_DATE 'yesterday' is not a date git understands here"))
    }

    @Test func unknownParentOrTreeIsAnError() throws {
        let fixture = try GitFixture.make()
        let repo = try fixture.open()
        let missing = try objectID(String(repeating: "ab", count: 20))
        #expect(throws: GitError.self) { try repo.createCommit(tree: missing, parents: [], message: "m", environment: identity) }
        #expect(throws: GitError.self) {
            try repo.createCommit(tree: repo.indexTree(), parents: [missing], message: "m", environment: identity)
        }
    }

    @Test func updateReferenceIsACompareAndSwap() throws {
        let fixture = try GitFixture.make()
        let first = try fixture.id(try fixture.commit("one"))
        let second = try fixture.id(try fixture.commit("two"))
        let repo = try fixture.open()

        try repo.updateReference("refs/heads/new", to: first, expecting: nil, message: "create")
        #expect(try fixture.id("refs/heads/new") == first)
        let exists = try #require(throws: GitError.self) {
            try repo.updateReference("refs/heads/new", to: second, expecting: nil, message: "again")
        }
        #expect(exists.message.hasPrefix("'refs/heads/new' already exists; not updated"))

        try repo.updateReference("refs/heads/new", to: second, expecting: first, message: "advance")
        #expect(try fixture.id("refs/heads/new") == second)
        let moved = try #require(throws: GitError.self) {
            try repo.updateReference("refs/heads/new", to: first, expecting: first, message: "stale")
        }
        #expect(moved.message.hasPrefix("'refs/heads/new' is no longer at \(first.hex); not updated"))
        #expect(try fixture.id("refs/heads/new") == second)
        #expect(throws: GitError.self) {
            try repo.updateReference("refs/heads/absent", to: first, expecting: second, message: "absent")
        }
        #expect(try repo.reference("refs/heads/absent") == nil)

        try repo.forceUpdateReference("refs/heads/new", to: first, message: "force")
        #expect(try fixture.id("refs/heads/new") == first)
        #expect(try fixture.git("reflog", "-1", "--format=%gs", "refs/heads/new") == "force")
        #expect(throws: GitError.self) {
            try repo.updateReference("refs/heads/bad..name", to: first, expecting: nil, message: "")
        }
        #expect(throws: GitError("'HEAD' is not a full reference name (refs/...)")) {
            try repo.updateReference("HEAD", to: first, expecting: second, message: "")
        }
    }

    @Test func checkoutHeadAfterMovingTheCheckedOutBranch() throws {
        let fixture = try GitFixture.make()
        try fixture.write("kept.txt", "kept\n")
        try fixture.write("changed.txt", "old\n")
        try fixture.write("removed.txt", "bye\n")
        let base = try fixture.id(try fixture.commit("base"))
        try fixture.write("untracked.txt", "mine\n")

        // Build the next commit without touching the work tree (a scratch index), then move main to it.
        let scratch = ["GIT_INDEX_FILE": fixture.directory.appending("scratch-index")]
        try fixture.git(["read-tree", "HEAD"], environment: scratch)
        try fixture.git(["rm", "--cached", "--quiet", "removed.txt"], environment: scratch)
        try fixture.git(
            ["update-index", "--add", "--cacheinfo", "100644,\(try fixture.hashObject("new\n")),changed.txt"],
            environment: scratch)
        try fixture.git(
            ["update-index", "--add", "--cacheinfo", "100644,\(try fixture.hashObject("added\n")),new/added.txt"],
            environment: scratch)
        let tree = try fixture.git(["write-tree"], environment: scratch)
        let repo = try fixture.open()
        let next = try repo.createCommit(tree: objectID(tree), parents: [base], message: "next\n", environment: identity)
        try repo.updateReference("refs/heads/main", to: next, expecting: base, message: "combine")
        try repo.checkoutHead(force: false)

        #expect(try fixture.read("changed.txt") == "new\n")
        #expect(try fixture.read("new/added.txt") == "added\n")
        #expect(FileManager.default.fileExists(atPath: fixture.absolutePath("removed.txt")) == false)
        #expect(try fixture.read("untracked.txt") == "mine\n")
        #expect(try fixture.git("status", "--porcelain") == "?? untracked.txt")
    }

    @Test func safeCheckoutKeepsLocalChangesAndForceDiscardsThem() throws {
        let fixture = try GitFixture.make()
        try fixture.write("file.txt", "one\n")
        let base = try fixture.id(try fixture.commit("base"))
        try fixture.write("file.txt", "two\n")
        let next = try fixture.id(try fixture.commit("next"))
        try fixture.git("reset", "--quiet", "--hard", base.hex)
        try fixture.write("file.txt", "local edit\n")

        let repo = try fixture.open()
        try repo.updateReference("refs/heads/main", to: next, expecting: base, message: "move")
        #expect(throws: GitError.self) { try repo.checkoutHead(force: false) }
        #expect(try fixture.read("file.txt") == "local edit\n")
        try repo.checkoutHead(force: true)
        #expect(try fixture.read("file.txt") == "two\n")
        #expect(try fixture.git("status", "--porcelain") == "")
    }

    @Test func checkoutInABareRepositoryIsAnError() throws {
        let fixture = try GitFixture.make(bare: true)
        let repo = try fixture.open()
        #expect(throws: GitError.self) { try repo.checkoutHead(force: true) }
    }

    @Test func configValues() throws {
        let fixture = try GitFixture.make(bare: true)
        try fixture.setConfig("dehub.maxCommits", "10000")
        try fixture.git("config", "--add", "dehub.multi", "first")
        try fixture.git("config", "--add", "dehub.multi", "last")
        let repo = try fixture.open()
        #expect(repo.configValue("dehub.maxCommits") == "10000")
        #expect(repo.configValue("dehub.maxcommits") == "10000")
        #expect(repo.configValue("dehub.multi") == "last")
        #expect(repo.configValue("dehub.absent") == nil)
        #expect(repo.configValue("not a key") == nil)
        #expect(repo.configValue("core.bare") == "true")
    }
}
