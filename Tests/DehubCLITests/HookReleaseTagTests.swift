import DehubTestSupport
import Foundation
import Testing

/// Release tags through the real hook (format §13): real git, real SSH and OpenPGP keys, a bare server with the
/// pre-receive hook. main needs 2 of alice, bob, carol; tags `v*` need 2 of them too; credentials are bound (§6.7).
@Suite("pre-receive hook: release tags")
struct HookReleaseTagTests {
    private func world(tagRules: Bool = true) throws -> (Scenario, ScenarioTeam) {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        var controls = ScenarioConfig.mainNeeds(2, of: ScenarioTeam.names)
        if tagRules { controls += ScenarioConfig.releasesNeed(2, of: ScenarioTeam.names) }
        try s.bootstrap(team.config(accessControls: controls).bound, signers: [team.a, team.b])
        try s.makeServer()
        expectAccepted(try s.push("-q", "origin", "main"))
        return (s, team)
    }

    /// One of two required signatures is refused, naming the missing accounts; with the second it is accepted, and
    /// `dehub verify --tag`, `git clone`, `git fetch --tags` and `git ls-remote` all see it.
    @Test func twoSignaturesPublishARelease() throws {
        let (s, team) = try world()
        let main = try s.head("main")
        try s.tag("v1.0", by: team.a, ["--descr", "dehub 1.0"])
        expectRefused(
            try s.push("origin", "refs/tags/v1.0"), "tag 'v1.0' is not verifiable (access controls)",
            "needs credentials from 2 of [alice, bob, carol]; verified: alice; missing: bob, carol",
            "remote: dehub:   next: collect the missing credentials on a thread (`dehub tag v1.0 --propose BRANCH`")
        #expect(try s.serverRef("refs/tags/v1.0") == nil)
        let verifyOne = try s.dehub("verify", "--tag", "v1.0")
        #expect(verifyOne.exitCode == 1 && verifyOne.stderrText.contains("missing: bob, carol"), "\(verifyOne.transcript)")

        let bound = try s.dehubOK("fingerprint", "--tag", "v1.0", "--signed-message").trimmingCharacters(
            in: .whitespacesAndNewlines)
        let root = try s.git("rev-list", "--max-parents=0", "main")
        #expect(bound.count == 158 && bound.contains(root), "a bound config signs the 79-byte message naming the root: \(bound)")
        let object = try s.tag("v1.0", by: team.b, ["--add-credential"])
        let pushed = try s.push("origin", "refs/tags/v1.0")
        expectAccepted(pushed)
        #expect(pushed.stderrText.contains("release tag 'v1.0' verified (credentials of alice, bob)"), "\(pushed.transcript)")
        #expect(try s.serverRef("refs/tags/v1.0") == object)
        #expect(try s.serverRef("refs/tags/v1.0^{commit}") == main)
        #expect(try s.dehubOK("verify", "--tag", "v1.0").contains("ok tag v1.0"))
        let json = try s.dehubOK("verify", "--tag", "v1.0", "--json")
        #expect(json.contains("\"verified\" : true") && json.contains("\"alice\",\n    \"bob\""), "\(json)")

        let clone = s.directory.path + "/clone"
        try s.git(["clone", "-q", "file://" + s.server, clone], in: s.directory.path)
        #expect(try s.git(["rev-parse", "refs/tags/v1.0"], in: clone) == object)
        #expect(try s.dehubOK(["verify", "--tag", "v1.0"], in: clone).contains("ok tag v1.0"))
        #expect(try s.git("ls-remote", "--tags", "origin").contains("\(object)\trefs/tags/v1.0"))
        try s.git("tag", "-d", "v1.0")
        try s.git("fetch", "-q", "--tags", "origin")
        #expect(try s.git("rev-parse", "refs/tags/v1.0") == object)
    }

    /// Published releases never move and are never deleted.
    @Test func aPublishedTagNeitherMovesNorDisappears() throws {
        let (s, team) = try world()
        try s.tag("v1.0", by: team.a)
        let published = try s.tag("v1.0", by: team.b, ["--add-credential"])
        expectAccepted(try s.push("origin", "refs/tags/v1.0"))
        let next = try s.landOnMain("Next", files: ["n.txt": "n\n"], author: team.a, reviewers: [team.b])
        expectAccepted(try s.push("origin", "main"))

        try s.git("tag", "-d", "v1.0")
        try s.tag("v1.0", by: team.a, ["--rev", next])
        try s.tag("v1.0", by: team.c, ["--add-credential"])
        expectRefused(
            try s.push("--force", "origin", "refs/tags/v1.0"), "moving tag 'v1.0' from \(short(published))",
            "published release tags are immutable")
        expectRefused(try s.push("origin", ":refs/tags/v1.0"), "deleting tag 'v1.0' is never allowed")
        #expect(try s.serverRef("refs/tags/v1.0") == published)
    }

    /// Tags that are not releases: a lightweight tag, a tag of a commit that is not on main, a tag whose credentials
    /// were copied from another tag.
    @Test func refusesWhatIsNotARelease() throws {
        let (s, team) = try world()
        try s.git("tag", "v2")
        expectRefused(try s.push("origin", "refs/tags/v2"), "which is not an annotated tag object: lightweight tags are refused")

        try s.git("switch", "-q", "-c", "feature")
        let thread = try s.change("Thread work", by: team.a, files: ["t.txt": "t\n"])
        try s.git("switch", "-q", "main")
        try s.tag("v3", by: team.a, ["--rev", thread, "--main", "feature"])
        try s.tag("v3", by: team.b, ["--add-credential", "--main", "feature"])
        expectRefused(try s.push("origin", "refs/tags/v3"), "its target \(short(thread)) is not a commit of main")

        let main = try s.head("main")
        try s.tag("v1.0", by: team.a)
        let donor = try s.tagMessage("v1.0")
        try s.tag("v1.0", by: team.b, ["--add-credential"])
        let twoSigned = try s.tagMessage("v1.0")
        try s.tag("v1.1", by: team.c)
        let forged = Scenario.replacingCredentials(in: try s.tagMessage("v1.1"), with: Scenario.credentials(in: twoSigned))
        #expect(forged != donor)
        try s.craftTag("v1.1", on: main, message: forged)
        expectRefused(
            try s.push("origin", "refs/tags/v1.1"), "tag 'v1.1' is not verifiable (credentials): 2 credential(s) did not verify")
        #expect(try s.serverRef("refs/tags/v1.1") == nil)
        #expect(try s.serverRef("refs/tags/v2") == nil)
        #expect(try s.serverRef("refs/tags/v3") == nil)
    }

    /// A repository whose config says nothing about tags refuses them as before, however well signed.
    @Test func aConfigWithoutTagRulesRefusesTags() throws {
        let (s, team) = try world(tagRules: false)
        try s.tag("v1.0", by: team.a)
        try s.tag("v1.0", by: team.b, ["--add-credential"])
        try s.tag("v1.0", by: team.c, ["--add-credential"])
        expectRefused(try s.push("origin", "refs/tags/v1.0"), "no entry of .dehub/config.yml that speaks of tags")
        #expect(try s.serverRef("refs/tags/v1.0") == nil)
    }

    /// A push that brings main's new commit and a tag on it is judged as a whole; the tag alone is refused while its
    /// commit is not on main.
    @Test func aTagAndItsCommitInOnePush() throws {
        let (s, team) = try world()
        let next = try s.landOnMain("Release prep", files: ["r.txt": "r\n"], author: team.a, reviewers: [team.c])
        try s.tag("v1.1", by: team.a)
        let object = try s.tag("v1.1", by: team.c, ["--add-credential"])
        expectRefused(try s.push("origin", "refs/tags/v1.1"), "is not a commit of main")
        expectAccepted(try s.push("origin", "main", "refs/tags/v1.1"))
        #expect(try s.serverRef("refs/heads/main") == next)
        #expect(try s.serverRef("refs/tags/v1.1") == object)
    }

    /// Format §13.4: alice and bob each hold only their own key and work in their own clone; bob's credential
    /// reaches the tag through the proposal thread, which the default rules accept like any thread.
    @Test func twoSignersInTwoClones() throws {
        let (s, team) = try world()
        try s.tag("v1.0", by: team.a, ["--descr", "dehub 1.0\n\nThe first release."])
        try s.dehubOK("tag", "v1.0", "--propose", "release/v1.0")
        expectAccepted(try s.push("origin", "release/v1.0"))

        let bob = s.directory.path + "/bob"
        try s.git(["clone", "-q", "file://" + s.server, bob], in: s.directory.path)
        let made = try s.dehub(["tag", "v1.0", "--from", "origin/release/v1.0"] + team.b.arguments, in: bob)
        #expect(made.exitCode == 0 && made.stderrText.contains("the rules at main accept it"), "\(made.transcript)")
        // A signer who names another tag finds no proposal for it.
        let wrongName = try s.dehub(["tag", "v1.1", "--from", "origin/release/v1.0"] + team.c.arguments, in: bob)
        #expect(wrongName.exitCode == 66 && wrongName.stderrText.contains("no proposal of tag 'v1.1'"), "\(wrongName.transcript)")
        let pushed = try s.gitResult(["push", "origin", "refs/tags/v1.0"], in: bob)
        expectAccepted(pushed)

        try s.git("fetch", "-q", "--tags", "--force", "origin")
        #expect(try s.dehubOK("verify", "--tag", "v1.0").contains("by alice, bob"))
        #expect(try s.tagMessage("v1.0").hasPrefix("Release v1.0: dehub 1.0\n"))
    }

    /// OpenPGP and SSH credentials on one tag: dave (OpenPGP Ed25519) and alice (SSH).
    @Test func openPGPAndSSHSignTogether() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let pgp = PGPTestKeys.shared
        try s.importSecretKey(pgp.ed25519)
        var config = team.config(
            accessControls: ScenarioConfig.mainNeeds(2, of: ScenarioTeam.names)
                + ScenarioConfig.releasesNeed(2, of: ["alice", "dave"]))
        config.accounts.append(.init("dave", [.pgp(pgp.ed25519.publicArmored)]))
        try s.bootstrap(config, signers: [team.a, team.b])
        try s.makeServer()
        expectAccepted(try s.push("-q", "origin", "main"))
        let dave = ScenarioSigner("dave")
        try s.tag("v1.0", by: dave)
        expectRefused(
            try s.push("origin", "refs/tags/v1.0"), "needs credentials from 2 of [alice, dave]; verified: dave; missing: alice")
        try s.tag("v1.0", by: team.a, ["--add-credential"])
        #expect(try s.tagMessage("v1.0").containsKeyID(pgp.ed25519.keyID))
        expectAccepted(try s.push("origin", "refs/tags/v1.0"))
    }

    /// Format §13.2 check 3: a tag object over the server's message limit is refused unread, with the setting named.
    @Test func anOversizedTagIsRefusedUnread() throws {
        let (s, team) = try world()
        try s.git("config", "dehub.maxMessageBytes", "1024", in: s.server)
        try s.tag("v1.0", by: team.a, ["--descr", String(repeating: "long release notes ", count: 4000)])
        try s.tag("v1.0", by: team.b, ["--add-credential"])
        expectRefused(
            try s.push("origin", "refs/tags/v1.0"), "refs/tags/v1.0: tag object ", "more than the limit of 66560 bytes",
            "git config dehub.maxMessageBytes")
        #expect(try s.serverRef("refs/tags/v1.0") == nil)
    }
}
