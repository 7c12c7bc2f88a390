import Foundation
import Testing

@testable import DehubCore

/// Format §13.2 as a pure function: the tag branch of `PushRules` (and `TagVerifier` under it) over the fake
/// repository. main: root ── c1 (── c2, pushed with a tag in one case); thread `idea`: c1 ── t1. The root's config
/// allows tags `v*` with 2 of alice, bob, carol.
@Suite struct TagPushRulesTests {
    static let tagRule = """
        - action: allow
          filters:
          - type: tag
            pattern: v*
          - type: signature
            account_ids: [alice, bob, carol]
            count: 2

        """

    final class World {
        let h = VerifierHarness()
        let root: ObjectID, c1: ObjectID, c2: ObjectID, t1: ObjectID

        init(tagRules: Bool = true, bind: Bool = false) {
            var tree = VerifierHarness.rootTree
            let config =
                (bind ? "bind_credentials: true\n" : "") + VerifierHarness.config + (tagRules ? TagPushRulesTests.tagRule : "")
            tree[".dehub/config.yml"] = .init(mode: 0o100644, bytes: Array(config.utf8))
            root = h.root(tree: tree)
            c1 = h.change(parent: root, tree: VerifierHarness.edit(tree, ["a.txt": "a\n"]), signers: [.alice])
            c2 = h.change(parent: c1, tree: VerifierHarness.edit(tree, ["a.txt": "b\n"]), signers: [.alice])
            t1 = h.change(parent: c1, tree: VerifierHarness.edit(tree, ["t.txt": "t\n"]), signers: [.carol])
            h.repo.refs = ["refs/heads/main": c1, "refs/heads/idea": t1]
        }

        /// An annotated tag object; every field of it can be made wrong on purpose.
        func tag(
            _ name: String, on target: ObjectID, signers: [VerifierHarness.Signer], objectName: String? = nil,
            payloadName: String? = nil, payloadTarget: ObjectID? = nil, signedFor: TagFields? = nil, message: String? = nil,
            targetIsCommit: Bool = true, credentials: [Credential]? = nil
        ) -> ObjectID {
            let fields = TagFields(name: payloadName ?? name, target: payloadTarget ?? target, description: "Release")
            let payload = Payload(
                body: .tag(fields), fingerprint: fields.fingerprint,
                credentials: credentials ?? signers.map { $0.credential(over: (signedFor ?? fields).fingerprint) })
            let text = message ?? TestPayloadWriter.render(head: CommitMessage.defaultHead(for: payload), payload: payload)
            return h.repo.addTag(name: objectName ?? name, target: target, message: text, targetIsCommit: targetIsCommit)
        }

        func plan(_ updates: [RefUpdate], mainBefore: ObjectID?? = nil) throws -> PushRules<FakeRepository>.Plan {
            try PushRules(repo: h.repo, signatures: FakeSignatures(), roles: .anyone, maxCommits: 100)
                .plan(updates, mainBefore: mainBefore ?? c1)
        }

        func refusal(_ updates: [RefUpdate], mainBefore: ObjectID?? = nil) throws -> String? {
            try plan(updates, mainBefore: mainBefore).refusals.first?.reason
        }
    }

    static let zero = ObjectID.zero
    static func create(_ new: ObjectID, _ name: String = "v1.0") -> RefUpdate {
        RefUpdate(old: zero, new: new, ref: "refs/tags/\(name)")
    }

    @Test func twoOfThreeSignaturesAreAccepted() throws {
        let w = World()
        let plan = try w.plan([Self.create(w.tag("v1.0", on: w.c1, signers: [.alice, .carol]))])
        #expect(plan.refusals.isEmpty)
        #expect(plan.tags.map(\.verifiedAccounts) == [["alice", "carol"]])
        #expect(plan.commits.isEmpty, "a tag brings no commit to verify")
    }

    @Test func oneSignatureNamesTheMissingAccounts() throws {
        let w = World()
        let reason = try w.refusal([Self.create(w.tag("v1.0", on: w.c1, signers: [.alice]))])
        #expect(
            reason == "tag 'v1.0' is not verifiable (access controls): the default access control for tags denies tag 'v1.0'; "
                + "access_controls[2] of .dehub/config.yml needs credentials from 2 of [alice, bob, carol]; verified: alice; missing: bob, carol"
        )
    }

    @Test func aConfigThatSaysNothingOfTagsRefusesThem() throws {
        let w = World(tagRules: false)
        let reason = try w.refusal([Self.create(w.tag("v1.0", on: w.c1, signers: [.alice, .bob, .carol]))])
        #expect(
            reason?.contains(
                "the default access control for tags denies tag 'v1.0': no entry of .dehub/config.yml that speaks of tags")
                == true)
    }

    /// A push that brings main's new commit and a tag on it is judged as a whole.
    @Test func aTagOnTheCommitsOfTheSamePush() throws {
        let w = World()
        let tag = w.tag("v1.1", on: w.c2, signers: [.alice, .bob])
        let plan = try w.plan([RefUpdate(old: w.c1, new: w.c2, ref: RefUpdate.mainRef), Self.create(tag, "v1.1")])
        #expect(plan.refusals.isEmpty)
        #expect(plan.commits.map(\.commit) == [w.c2])
        #expect(try w.refusal([Self.create(tag, "v1.1")])?.contains("its target \(w.c2.short) is not a commit of main") == true)
    }

    static let refusals: [(String, String)] = [
        ("lightweight", "points at {c1}, which is not an annotated tag object: lightweight tags are refused"),
        ("moved", "moving tag 'v1.0' from"),
        ("deleted", "deleting tag 'v1.0' is never allowed: published release tags are immutable"),
        ("not on main", "tag 'v1.0' is not verifiable (ancestry): its target {t1} is not a commit of main"),
        ("credential of another tag", "tag 'v1.0' is not verifiable (credentials): 2 credential(s) did not verify"),
        ("object named otherwise", "tag 'v1.0' is not verifiable (tag object): the tag object calls itself 'v2.0', not 'v1.0'"),
        ("payload named otherwise", "the payload names tag 'v2.0', not 'v1.0'"),
        ("payload targets otherwise", "the payload names target {t1}, but the tag object points at {c1}"),
        ("tag of a tree", "which is not a commit"),
        ("commit payload", "the tag message carries a comment payload, not a tag payload"),
        ("no payload", "tag 'v1.0' is not verifiable (payload): tag message: commit message has no payload"),
        ("no main yet", "main does not exist yet, so tag 'v1.0' has no rules to be judged by"),
        ("bad name", "tag name '-x' must be 1 to 128"),
    ]

    @Test(arguments: refusals)
    func refused(attack: String, expected: String) throws {
        let w = World()
        let good = w.tag("v1.0", on: w.c1, signers: [.alice, .bob])
        var mainBefore: ObjectID?? = nil
        let update: RefUpdate
        switch attack {
        case "lightweight": update = Self.create(w.c1)
        case "moved":
            w.h.repo.refs["refs/tags/v1.0"] = good
            update = RefUpdate(old: good, new: w.tag("v1.0", on: w.c1, signers: [.alice, .bob, .carol]), ref: "refs/tags/v1.0")
        case "deleted": update = RefUpdate(old: good, new: Self.zero, ref: "refs/tags/v1.0")
        case "not on main": update = Self.create(w.tag("v1.0", on: w.t1, signers: [.alice, .bob]))
        case "credential of another tag":
            let other = TagFields(name: "v0.9", target: w.c1, description: "Release")
            update = Self.create(w.tag("v1.0", on: w.c1, signers: [.alice, .bob], signedFor: other))
        case "object named otherwise": update = Self.create(w.tag("v1.0", on: w.c1, signers: [.alice, .bob], objectName: "v2.0"))
        case "payload named otherwise":
            update = Self.create(w.tag("v1.0", on: w.c1, signers: [.alice, .bob], payloadName: "v2.0"))
        case "payload targets otherwise":
            update = Self.create(w.tag("v1.0", on: w.c1, signers: [.alice, .bob], payloadTarget: w.t1))
        case "tag of a tree": update = Self.create(w.tag("v1.0", on: w.c1, signers: [.alice, .bob], targetIsCommit: false))
        case "commit payload":
            let comment = Payload(body: .comment("hi"), fingerprint: Fingerprint.comment("hi"), credentials: [])
            update = Self.create(
                w.tag("v1.0", on: w.c1, signers: [], message: TestPayloadWriter.render(head: "x", payload: comment)))
        case "no payload": update = Self.create(w.tag("v1.0", on: w.c1, signers: [], message: "v1.0\n"))
        case "no main yet":
            update = Self.create(good)
            mainBefore = .some(nil)
        default: update = Self.create(good, "-x")
        }
        let reason = try #require(try w.refusal([update], mainBefore: mainBefore))
        let text = expected.replacingOccurrences(of: "{c1}", with: w.c1.short).replacingOccurrences(of: "{t1}", with: w.t1.short)
        #expect(reason.contains(text), "\(reason)")
    }

    /// Format §5.5 and §6.7: under `bind_credentials: true` (at main's tip) a tag's credentials sign the bound message
    /// naming the project of the target's history; the bare fingerprint, or another project, does not verify.
    @Test(arguments: ["root", "bare", "other"])
    func boundConfigsBindTagCredentials(signed: String) throws {
        let w = World(bind: true)
        let fields = TagFields(name: "v1.0", target: w.c1, description: "Release")
        let bytes: [UInt8]
        switch signed {
        case "root": bytes = SignedMessage(fingerprint: fields.fingerprint, binding: .project(ProjectID(root: w.root))).bytes
        case "bare": bytes = fields.fingerprint.bytes
        default: bytes = SignedMessage(fingerprint: fields.fingerprint, binding: .project(ProjectID(root: w.t1))).bytes
        }
        let credentials = ["A11CE00000000001", "B0B0000000000002"].enumerated().map { i, key in
            Credential.pgp(
                PGPCredential(
                    pubKeyID: key, signature: FakeSignatures.pgpSignature(keyID: key, over: bytes), account: ["alice", "bob"][i]))
        }
        let reason = try w.refusal([Self.create(w.tag("v1.0", on: w.c1, signers: [], credentials: credentials))])
        if signed == "root" {
            #expect(reason == nil)
        } else {
            #expect(reason?.contains("(credentials): 2 credential(s) did not verify") == true, "\(reason ?? "accepted")")
        }
    }

    /// Published tags are immutable for every pusher: an admin behind a host may delete a thread, never a tag.
    @Test(arguments: [PusherRolePolicy.anyone, .behindHost(role: .admin), .behindHost(role: .member), .behindHost(role: .other)])
    func noRoleMovesOrDeletesATag(roles: PusherRolePolicy) throws {
        let w = World()
        let published = w.tag("v1.0", on: w.c1, signers: [.alice, .bob])
        w.h.repo.refs["refs/tags/v1.0"] = published
        let rules = PushRules(repo: w.h.repo, signatures: FakeSignatures(), roles: roles, maxCommits: 100)
        let moved = w.tag("v1.0", on: w.c1, signers: [.alice, .bob, .carol])
        for update in [
            RefUpdate(old: published, new: Self.zero, ref: "refs/tags/v1.0"),
            RefUpdate(old: published, new: moved, ref: "refs/tags/v1.0"),
        ] {
            let reason = try rules.plan([update], mainBefore: w.c1).refusals.first?.reason
            #expect(reason?.contains("is never allowed: published release tags are immutable") == true, "\(reason ?? "accepted")")
        }
    }

    /// A tag payload belongs in a tag object: a commit that carries one is not verifiable.
    @Test func aCommitWithATagPayloadIsRejected() {
        let w = World()
        let fields = TagFields(name: "v1.0", target: w.c1, description: "Release")
        let payload = Payload(
            body: .tag(fields), fingerprint: fields.fingerprint,
            credentials: [VerifierHarness.Signer.alice.credential(over: fields.fingerprint)])
        let id = w.h.repo.addCommit(
            parents: [w.c1], tree: w.h.repo.treeContents(of: w.c1), message: TestPayloadWriter.render(head: "x", payload: payload)
        )
        let verdict = w.h.verify(id, branch: "idea")
        #expect(verdict.rejection?.check == .payload)
        #expect(verdict.rejection?.reason.contains("carries a tag payload") == true)
    }
}
