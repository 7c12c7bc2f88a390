import DehubTestSupport
import Foundation
import Testing

/// `git clone dehub::URL` and `git fetch` through `git-remote-dehub` against real mirrors: what verifies arrives,
/// what does not never enters the user's repository, and git fails with the engine's message.
@Suite("git-remote-dehub: fetch only what verifies")
struct RemoteHelperTests {
    @Test func cloneOverFileGivesMainPinsTheRootAndFetchesNewCommits() throws {
        let w = try RemoteHelperWorld()
        let (clone, result) = try w.clone()
        #expect(result.succeeded, "\(result.transcript)")
        #expect(try w.rev("main", in: clone) == w.s.serverRef("refs/heads/main"))
        #expect(try w.s.git("config", "remote.origin.dehubRoot", in: clone) == w.root())
        #expect(result.stderrText.contains("pinned the root of trust: \(try w.root())"), "\(result.transcript)")
        #expect(result.stderrText.contains("alice: ssh-ed25519 SHA256:"), "\(result.transcript)")
        let tip = try w.landAndPush("Second step")
        let fetched = try w.git(["fetch"], in: clone)
        #expect(fetched.succeeded, "\(fetched.transcript)")
        #expect(try w.rev("refs/remotes/origin/main", in: clone) == tip)
        #expect(fetched.stderrText.contains("main: "), "\(fetched.transcript)")
    }

    @Test(arguments: ["unsigned", "copied credential"])
    func tamperedMainFailsTheFetchAndItsObjectsNeverArrive(_ kind: String) throws {
        let w = try RemoteHelperWorld()
        let (clone, cloned) = try w.clone()
        #expect(cloned.succeeded, "\(cloned.transcript)")
        let before = try w.rev("refs/remotes/origin/main", in: clone)
        let bad = kind == "unsigned" ? try w.unsignedCommit() : try w.copiedCredentialCommit()
        try w.force("refs/heads/main", of: w.s.server, to: bad)
        let fetched = try w.git(["fetch"], in: clone)
        #expect(!fetched.succeeded)
        #expect(fetched.stderrText.contains("does not verify; nothing was fetched"), "\(fetched.transcript)")
        #expect(fetched.stderrText.contains("check:"), "\(fetched.transcript)")
        #expect(try w.rev("refs/remotes/origin/main", in: clone) == before)
        #expect(try !w.hasObject(bad, in: clone))
    }

    @Test func aRewoundMirrorFailsTheFetch() throws {
        let w = try RemoteHelperWorld()
        let old = try w.s.serverRef("refs/heads/main")!
        let new = try w.landAndPush("Second step")
        let (clone, _) = try w.clone()
        try w.s.git("update-ref", "refs/heads/main", old, in: w.s.server)
        let fetched = try w.git(["fetch"], in: clone)
        #expect(!fetched.succeeded)
        #expect(fetched.stderrText.contains("behind the verified main"), "\(fetched.transcript)")
        #expect(try w.rev("refs/remotes/origin/main", in: clone) == new)
    }

    @Test func aMirrorWithAnotherRootIsRefusedUnderThePinnedRoot() throws {
        let w = try RemoteHelperWorld()
        let other = try RemoteHelperWorld()
        let result = try w.dehub(["clone", "--root", try w.root(), "file://" + other.s.server, w.path("other")])
        #expect(!result.succeeded)
        #expect(result.stderrText.contains("not the pinned root of trust"), "\(result.transcript)")
        #expect(!FileManager.default.fileExists(atPath: w.path("other")))
        // With the right root, `dehub clone` works and pushes go to the URL itself.
        let good = try w.dehub(["clone", "--root", try w.root(), w.serverURL, w.path("good")])
        #expect(good.succeeded, "\(good.transcript)")
        #expect(try w.s.git("config", "remote.origin.pushurl", in: w.path("good")) == w.serverURL)
        #expect(try w.s.git("config", "remote.origin.url", in: w.path("good")) == "dehub::" + w.serverURL)
    }

    @Test func twoMirrorsOneStaleTheFreshOneWinsWithAWarning() throws {
        let w = try RemoteHelperWorld()
        let stale = w.path("stale.git")
        try w.s.git("clone", "-q", "--mirror", w.s.server, stale, in: w.s.directory.path)
        let tip = try w.landAndPush("Second step")
        let result = try w.dehub(["clone", "--mirror", w.serverURL, "file://" + stale, w.path("two")])
        #expect(result.succeeded, "\(result.transcript)")
        #expect(try w.rev("main", in: w.path("two")) == tip)
        #expect(result.stderrText.contains("file://\(stale) is behind on refs/heads/main"), "\(result.transcript)")
    }

    @Test func lsRemoteListsOnlyVerifiedTips() throws {
        let w = try RemoteHelperWorld()
        try w.force("refs/heads/idea", of: w.s.server, to: try w.unsignedCommit())
        let result = try w.git(["ls-remote", "dehub::" + w.serverURL])
        #expect(result.succeeded, "\(result.transcript)")
        #expect(result.stdoutText.contains("\(try w.s.serverRef("refs/heads/main")!)\trefs/heads/main"))
        #expect(!result.stdoutText.contains("refs/heads/idea"), "\(result.stdoutText)")
        #expect(result.stderrText.contains("idea"), "\(result.transcript)")
        // Outside a repository the replica cache is a temporary directory, removed when the helper ends.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: w.s.directory.appending("tmp"))
        #expect(!leftovers.contains { $0.hasPrefix("dehub-replica") }, "\(leftovers)")
    }

    @Test func shallowAndPartialClonesAreRefusedWithAReason() throws {
        let w = try RemoteHelperWorld()
        let shallow = try w.git(["clone", "--depth", "1", "dehub::" + w.serverURL, "shallow"])
        #expect(!shallow.succeeded)
        #expect(shallow.stderrText.contains("shallow clones and fetches (--depth) are refused"), "\(shallow.transcript)")
        let (clone, _) = try w.clone()
        let partial = try w.git(["fetch", "--filter=blob:none", "origin"], in: clone)
        #expect(!partial.succeeded)
        #expect(partial.stderrText.contains("(--filter) are refused"), "\(partial.transcript)")
    }

    @Test func remoteAddFetchesThroughTheHelperAndPushesToTheURL() throws {
        let w = try RemoteHelperWorld()
        let repo = w.path("added")
        try w.s.git("init", "-q", repo, in: w.s.directory.path)
        let added = try w.dehub(["-C", repo, "remote", "add", "upstream", w.serverURL])
        #expect(added.succeeded, "\(added.transcript)")
        #expect(try w.s.git("config", "remote.upstream.url", in: repo) == "dehub::" + w.serverURL)
        #expect(try w.s.git("config", "remote.upstream.pushurl", in: repo) == w.serverURL)
        let fetched = try w.git(["fetch", "upstream"], in: repo)
        #expect(fetched.succeeded, "\(fetched.transcript)")
        #expect(try w.rev("refs/remotes/upstream/main", in: repo) == w.s.serverRef("refs/heads/main"))
    }
}
