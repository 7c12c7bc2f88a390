import Testing

@testable import DehubCore

/// The engine over in-memory ports. Each adversarial test names the attack and pins the check that stops it
/// and the key words of the reason.
@Suite struct CommitVerifierTests {
    typealias H = VerifierHarness

    func expectRejected(
        _ verdict: CommitVerdict, _ check: VerificationCheck, _ words: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(verdict.isVerified == false, sourceLocation: sourceLocation)
        #expect(verdict.rejection?.check == check, "\(verdict.rejection?.reason ?? "verified")", sourceLocation: sourceLocation)
        for w in words {
            #expect(
                verdict.rejection?.reason.contains(w) == true, "'\(w)' not in: \(verdict.rejection?.reason ?? "verified")",
                sourceLocation: sourceLocation)
        }
        #expect(verdict.rejection?.hint?.isEmpty == false, sourceLocation: sourceLocation)
    }

    func expectVerified(_ verdict: CommitVerdict, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            verdict.isVerified, "\(verdict.rejection.map { "\($0.check): \($0.reason)" } ?? "")", sourceLocation: sourceLocation)
    }

    // MARK: what passes

    @Test func rootSignedAsItsOwnConfigDemands() {
        let h = H()
        let root = h.root()
        let v = h.verify(root)
        expectVerified(v)
        #expect(v.head == "Initial commit")
        #expect(v.branch == "main")
        #expect(v.payloadType == .change)
        #expect(v.verifiedAccounts == ["alice", "bob"])
        #expect(
            v.credentials == [
                CredentialResult(index: 0, account: "alice", kind: "pgp", outcome: .verified),
                CredentialResult(index: 1, account: "bob", kind: "pgp", outcome: .verified),
            ])
        #expect(v.decision?.source == .config(index: 0))
    }

    @Test func signedChangesOnMainByEveryKindOfSignifier() {
        let h = H()
        let root = h.root()
        for (i, signer) in [H.Signer.alice, .bob, .bobSubkey, .carol, .dave].enumerated() {
            let c = h.change(parent: root, tree: H.edit(H.rootTree, ["README.md": "v\(i)\n"]), signers: [signer])
            let v = h.verify(c)
            expectVerified(v)
            #expect(v.decision?.source == .defaults(index: 2))
            #expect(v.verifiedAccounts.count == 1)
        }
        // a subkey's signature may name the primary key's id
        let primaryNamed = h.change(
            parent: root, tree: H.edit(H.rootTree, ["x": "1"]),
            signers: [.pgp("bob", keyID: "B0B05B0000000003", pubKeyID: "B0B0000000000002")])
        expectVerified(h.verify(primaryNamed))
    }

    @Test func commentsAndCredentialsOnThreads() {
        let h = H()
        let root = h.root()
        let comment = h.comment(parent: root, "LGTM", signers: [.carol])
        let v = h.verify(comment, branch: "threads/review")
        expectVerified(v)
        #expect(v.payloadType == .comment)
        #expect(v.head == "Comment: \"LGTM\"")
        #expect(v.decision?.source == .defaults(index: 1))
        let credential = h.credential(parent: comment, for: Fixtures.fingerprint, signers: [.alice, .dave])
        let cv = h.verify(credential, branch: "threads/review")
        expectVerified(cv)
        #expect(cv.head == "Credential of alice, dave")
        #expect(cv.verifiedAccounts == ["alice", "dave"])
    }

    @Test func configChangeSignedAsTheParentDemandsThenGovernsItsChildren() {
        let h = H()
        let root = h.root()
        let open = H.config.replacing("count: 2", with: "count: 1")
        let c1 = h.change(parent: root, tree: H.edit(H.rootTree, [".dehub/config.yml": open]), signers: [.alice, .bob])
        expectVerified(h.verify(c1))
        let c2 = h.change(parent: c1, tree: H.edit(h.repo.treeContents(of: c1), [".dehub/x": "y"]), signers: [.alice])
        expectVerified(h.verify(c2))
    }

    // MARK: attacks

    /// Attack: push an unsigned change straight to main.
    @Test func unsignedChangeOnMain() {
        let h = H()
        let c = h.change(parent: h.root(), tree: H.edit(H.rootTree, ["README.md": "pwned"]), signers: [])
        let v = h.verify(c)
        expectRejected(
            v, .accessControls,
            [
                "default access control #4 denies this change commit on branch 'main'",
                "default access control #3 needs credentials from 1 of any account; verified: none",
            ])
        #expect(v.rejection?.hint?.contains("dehub combine") == true)
        #expect(v.decision?.isAllowed == false)
    }

    /// Attack: reuse a signature made over another change's fingerprint.
    @Test func signatureOverAnotherFingerprint() {
        let h = H()
        let other = Fingerprint.change(description: "something alice did sign", files: [])
        let c = h.change(
            parent: h.root(), tree: H.edit(H.rootTree, ["README.md": "x"]), signers: [.alice], signedFingerprint: other)
        expectRejected(
            h.verify(c), .credentials,
            [
                "1 credential(s) did not verify", "credentials[0] (pgp, account alice)", "BAD signature from A11CE00000000001",
            ])
    }

    /// Attack: take a signed change and alter a file (or the description) without re-signing.
    @Test func filesOrDescriptionChangedAfterSigning() {
        let h = H()
        let root = h.root()
        let signedTree = H.edit(H.rootTree, ["README.md": "reviewed"])
        let c = h.change(
            parent: root, tree: H.edit(signedTree, ["evil.sh": "curl | sh"]), signers: [.alice], fingerprintFiles: signedTree)
        expectRejected(
            h.verify(c), .fingerprint, ["does not match the change", "the description or the files changed after it was made"])
        let d = h.change(
            parent: root, tree: signedTree, description: "Harmless tweak", signers: [.alice],
            fingerprintDescription: "Reviewed tweak")
        expectRejected(h.verify(d), .fingerprint, ["does not match the change"])
        // and a file mode flip alone is a change too
        var exec = signedTree
        exec["README.md"]?.mode = 0o100755
        let e = h.change(parent: root, tree: exec, signers: [.alice], fingerprintFiles: signedTree)
        expectRejected(h.verify(e), .fingerprint, ["does not match the change"])
    }

    /// Attack: sign with your own key and claim someone else's account.
    @Test func credentialNamingAnAccountTheKeyDoesNotBelongTo() {
        let h = H()
        let root = h.root()
        let tree = H.edit(H.rootTree, ["README.md": "x"])
        let mallory = h.change(parent: root, tree: tree, signers: [.pgp("alice", keyID: H.malloryKeyID)])
        expectRejected(
            h.verify(mallory), .credentials,
            ["account alice", "made by key BAD0000000000666, which is not one of the given keys"])
        let bobAsAlice = h.change(parent: root, tree: tree, signers: [.pgp("alice", keyID: "B0B0000000000002")])
        expectRejected(h.verify(bobAsAlice), .credentials, ["made by key B0B0000000000002"])
        let carolAsDave = h.change(parent: root, tree: tree, signers: [.ssh("dave", key: H.carolKey)])
        expectRejected(
            h.verify(carolAsDave), .credentials,
            [
                "credentials[0] (ssh, account dave)",
                "key ssh-ed25519 Q0FST0w… is not one of account 'dave''s keys in the governing config",
            ])
        let unknown = h.change(parent: root, tree: tree, signers: [.pgp("zed", keyID: H.malloryKeyID)])
        expectRejected(h.verify(unknown), .credentials, ["names account 'zed', which the governing config does not define"])
        let unknownSSH = h.change(parent: root, tree: tree, signers: [.ssh("zed", key: H.carolKey)])
        expectRejected(h.verify(unknownSSH), .credentials, ["names account 'zed', which the governing config does not define"])
        let carolPGP = h.change(parent: root, tree: tree, signers: [.pgp("carol", keyID: H.malloryKeyID)])
        expectRejected(h.verify(carolPGP), .credentials, ["account 'carol' has no OpenPGP key in the governing config"])
        let wrongID = h.change(
            parent: root, tree: tree, signers: [.pgp("alice", keyID: "A11CE00000000001", pubKeyID: "B0B0000000000002")])
        expectRejected(
            h.verify(wrongID), .credentials,
            [
                "pub_key_id B0B0000000000002 does not match the key that made the signature (A11CE00000000001)"
            ])
        let notAKeyLine = h.change(parent: root, tree: tree, signers: [.ssh("carol", key: "Q0FST0w")])
        expectRejected(h.verify(notAKeyLine), .credentials, ["pub_key is not an OpenSSH public key line"])
    }

    /// Attack: one good credential plus a bad one; the bad one is never silently ignored.
    @Test func oneBadCredentialSpoilsTheCommit() {
        let h = H()
        let c = h.change(parent: h.root(), tree: H.edit(H.rootTree, ["a": "b"]), signers: [.alice, .mallory, .carol])
        let v = h.verify(c)
        expectRejected(v, .credentials, ["1 credential(s) did not verify", "credentials[1] (pgp, account mallory)"])
        #expect(v.credentials.map(\.isVerified) == [true, false, true])
    }

    /// An anonymous credential proves only that some key signed: it counts for no account.
    @Test func anonymousCredentialsCountForNobody() {
        let h = H()
        let root = h.root()
        let anon = H.Signer.pgp(nil, keyID: H.malloryKeyID, pubKeyBody: "pgp:\(H.malloryKeyID)")
        let c = h.change(parent: root, tree: H.edit(H.rootTree, ["a": "b"]), signers: [anon])
        let v = h.verify(c)
        expectRejected(v, .accessControls, ["verified: none"])
        #expect(v.credentials == [CredentialResult(index: 0, account: nil, kind: "pgp", outcome: .verified)])
        let forged = h.change(
            parent: root, tree: H.edit(H.rootTree, ["a": "b"]),
            signers: [.pgp(nil, keyID: "A11CE00000000001", pubKeyBody: "pgp:\(H.malloryKeyID)")])
        expectRejected(h.verify(forged), .credentials, ["credentials[0] (pgp, account anonymous)"])
    }

    /// Attack: keep using a key after the account was removed from (or its key replaced in) the config.
    @Test func keyRemovedFromTheConfigInTheParent() {
        let h = H()
        let root = h.root()
        let noAlice = H.config.replacing(
            "- id: alice\n  signifiers:\n  - type: pgp_public_key\n    body: '\(H.aliceKey)'\n", with: ""
        )
        .replacing("account_ids: [alice, bob]\n    count: 2", with: "account_ids: [bob]\n    count: 1")
        #expect(noAlice != H.config)
        let removal = h.change(parent: root, tree: H.edit(H.rootTree, [".dehub/config.yml": noAlice]), signers: [.alice, .bob])
        expectVerified(h.verify(removal))  // judged by the parent's config, where alice still counts
        let after = h.change(
            parent: removal, tree: H.edit(h.repo.treeContents(of: removal), ["README.md": "x"]), signers: [.alice])
        expectRejected(h.verify(after), .credentials, ["names account 'alice', which the governing config does not define"])

        let rotated = h.change(
            parent: root, tree: H.edit(H.rootTree, [".dehub/bob.asc": "pgp:B0B0000000000099"]), signers: [.alice, .bob])
        expectVerified(h.verify(rotated))
        let oldKey = h.change(
            parent: rotated, tree: H.edit(h.repo.treeContents(of: rotated), ["README.md": "y"]), signers: [.bob])
        expectRejected(h.verify(oldKey), .credentials, ["made by key B0B0000000000002, which is not one of the given keys"])
    }

    /// Attack: a config change that loosens its own rules, signed by fewer accounts than the parent's config demands.
    @Test func configChangeThatLoosensItsOwnRules() {
        let h = H()
        let root = h.root()
        let loose =
            "accounts:\n- id: alice\n  signifiers:\n  - type: pgp_public_key\n    body: '\(H.aliceKey)'\naccess_controls:\n- action: allow\n"
        let c = h.change(parent: root, tree: H.edit(H.rootTree, [".dehub/config.yml": loose]), signers: [.alice])
        let v = h.verify(c)
        expectRejected(
            v, .accessControls,
            [
                "access_controls[1] of .dehub/config.yml denies this change commit on branch 'main'",
                "access_controls[0] of .dehub/config.yml needs credentials from 2 of [alice, bob]; verified: alice",
            ])
        #expect(v.rejection?.hint?.contains("collect credentials") == true)
        // ... on a thread as well
        expectRejected(h.verify(c, branch: "threads/x"), .accessControls, ["access_controls[1] of .dehub/config.yml denies"])
        // the new rules do not govern the commit that introduces them, even if it also deletes key files
        let sneaky = h.change(
            parent: root, tree: H.edit(H.rootTree, [".dehub/config.yml": loose, ".dehub/bob.asc": nil]), signers: [.alice])
        expectRejected(h.verify(sneaky), .accessControls, ["needs credentials from 2 of [alice, bob]"])
    }

    /// Attack: meet "2 of [alice, bob]" with two credentials from alice.
    @Test func duplicateCredentialsFromOneAccountCountOnce() {
        let h = H()
        let c = h.change(parent: h.root(), tree: H.edit(H.rootTree, [".dehub/extra": "x"]), signers: [.alice, .alice, .alice])
        let v = h.verify(c)
        expectRejected(v, .accessControls, ["needs credentials from 2 of [alice, bob]; verified: alice"])
        #expect(v.credentials.count == 3)
        #expect(v.credentials.allSatisfy { $0.isVerified })
        #expect(v.verifiedAccounts == ["alice"])
        // bob's primary and subkey are still one account
        let bobTwice = h.change(parent: h.root(), tree: H.edit(H.rootTree, [".dehub/extra": "x"]), signers: [.bob, .bobSubkey])
        expectRejected(h.verify(bobTwice), .accessControls, ["verified: bob"])
    }

    @Test func mergeCommitsAreNotVerifiable() {
        let h = H()
        let root = h.root()
        let a = h.change(parent: root, tree: H.edit(H.rootTree, ["a": "1"]), signers: [.alice])
        let b = h.change(parent: root, tree: H.edit(H.rootTree, ["b": "1"]), signers: [.alice])
        let merge = h.repo.addCommit(
            parents: [a, b], tree: H.edit(H.rootTree, ["a": "1", "b": "1"]),
            message: h.repo.commits[a]!.message)
        let v = h.verify(merge)
        expectRejected(v, .commitShape, ["is a merge commit (2 parents); merges are not verifiable"])
        #expect(v.rejection?.hint == "rebase or squash the work with `dehub combine` instead of merging")
        #expect(v.head == "Change")
    }

    @Test(arguments: [
        ("Fix typo", "commit message has no payload: it is a single line (is this a dehub commit?)"),
        ("Fix typo\n\nLonger text.", "payload line 3, column 1: expected a mapping, found string"),
        ("h\n\ntype: [change\n", "payload is not valid YAML: line 4, column 1"),
        ("h\n\ntype: merge\nfingerprint: \(Fixtures.fingerprintText)\n", "unknown payload type 'merge'"),
        ("h\n\ntype: comment\ntype: comment\n", "duplicate key 'type'"),
        (
            "h\n\ndescription: x\nfingerprint: \(Fixtures.fingerprintText)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: c2ln\n  account: no\n",
            "credentials[0].account: expected a string, found boolean 'no' (quote it if a string is meant)"
        ),
    ])
    func malformedPayloads(_ message: String, _ words: String) {
        let h = H()
        let c = h.repo.addCommit(parents: [h.root()], tree: H.edit(H.rootTree, ["a": "b"]), message: message)
        let v = h.verify(c)
        expectRejected(v, .payload, [words])
        #expect(v.payloadType == nil)
        #expect(v.rejection?.hint == "dehub commits are made with `dehub commit`; see docs/format.md")
    }

    /// Attack: smuggle file changes into a comment or credential commit, which needs fewer signatures.
    @Test func nonChangeCommitsChangingFiles() {
        let h = H()
        let root = h.root()
        let comment = h.comment(parent: root, "LGTM", signers: [.carol], tree: H.edit(H.rootTree, ["notes.txt": "x"]))
        let v = h.verify(comment, branch: "t")
        expectRejected(
            v, .filesInNonChange, ["is a comment commit but changes 1 file(s) (notes.txt); only change commits may change files"])
        #expect(v.rejection?.hint == "make file changes in a change commit")
        let many = H.edit(H.rootTree, ["a": "1", "b": "2", "c": "3", "d": "4", "README.md": nil])
        let credential = h.credential(parent: root, for: Fixtures.fingerprint, signers: [.alice], tree: many)
        expectRejected(
            h.verify(credential, branch: "t"), .filesInNonChange,
            ["is a credential commit but changes 5 file(s) (README.md, a, b)"])
    }

    @Test func commentWithAnotherFingerprint() {
        let h = H()
        let c = h.comment(parent: h.root(), "LGTM", signers: [.carol], fingerprint: Fingerprint.comment("NACK"))
        expectRejected(h.verify(c, branch: "t"), .fingerprint, ["does not match the comment"])
    }

    @Test func rootCommitWithoutACredential() {
        let h = H()
        let root = h.root(signers: [])
        let v = h.verify(root)
        expectRejected(v, .rootOfTrust, ["is a root commit without a verified credential of an account its own config defines"])
        // an anonymous credential is no root of trust either
        let anon = h.root(signers: [.pgp(nil, keyID: H.malloryKeyID, pubKeyBody: "pgp:\(H.malloryKeyID)")])
        expectRejected(h.verify(anon), .rootOfTrust, ["root commit without a verified credential"])
        // nor a repository without a config (no accounts)
        let bare = h.root(tree: FakeRepository.tree(["README.md": "hi"]), signers: [.alice])
        expectRejected(h.verify(bare), .credentials, ["names account 'alice', which the governing config does not define"])
        // a root signed by a configured account whose rules are not met
        let rootByAlice = h.root(signers: [.alice])
        expectRejected(h.verify(rootByAlice), .accessControls, ["needs credentials from 2 of [alice, bob]; verified: alice"])
    }

    /// Attack: introduce a config that does not parse (which would otherwise leave every later commit governed by
    /// nothing, or by an older reading of it).
    @Test func invalidConfigIntroducedByACommit() {
        let h = H()
        let root = h.root()
        let broken = H.config + "require_signatures: false\n"
        let c = h.change(parent: root, tree: H.edit(H.rootTree, [".dehub/config.yml": broken]), signers: [.alice, .bob])
        let v = h.verify(c)
        expectRejected(
            v, .config, ["the commit leaves an invalid config", ".dehub/config.yml: line", "require_signatures: unknown key"])
        #expect(v.rejection?.hint == "fix the config and commit again")
        let dangling = h.change(parent: root, tree: H.edit(H.rootTree, [".dehub/bob.asc": nil]), signers: [.alice, .bob])
        expectRejected(
            h.verify(dangling), .config,
            [
                "the commit leaves an invalid config",
                "account 'bob' names key file '.dehub/bob.asc', which is not a file in the same tree",
            ])
        let duplicate = H.config.replacing("- id: carol", with: "- id: alice")
        let dup = h.change(parent: root, tree: H.edit(H.rootTree, [".dehub/config.yml": duplicate]), signers: [.alice, .bob])
        expectRejected(h.verify(dup), .config, ["duplicate account id 'alice'"])
    }

    @Test func invalidGoverningConfig() {
        let h = H()
        let bad = FakeRepository.tree([".dehub/config.yml": "accounts: [\n"])
        let root = h.root(tree: bad, signers: [.alice])
        let v = h.verify(root)
        expectRejected(
            v, .config, ["the governing config (in the commit's own tree) is invalid", ".dehub/config.yml is not valid YAML"])
        #expect(v.rejection?.hint == "fix .dehub/config.yml in a commit signed as the current rules require")
        // a child of a commit with a broken config is governed by it, whatever the child does
        let child = h.change(parent: root, tree: FakeRepository.tree(["README.md": "x"]), signers: [.alice])
        expectRejected(h.verify(child), .config, ["the governing config (in the parent's tree) is invalid"])
    }

    @Test func nonFastForwardOnMain() {
        let h = H()
        let c = h.change(parent: h.root(), tree: H.edit(H.rootTree, ["a": "1"]), signers: [.alice])
        let v = h.verify(c, nonFastForward: true)
        expectRejected(
            v, .accessControls,
            ["default access control #1 denies this change commit on branch 'main' (the update is not a fast-forward)"])
        #expect(v.rejection?.hint == "main only moves forward: rebase your work onto the current main and push again")
        expectVerified(h.verify(c, branch: "t", nonFastForward: true))
    }

    @Test func commentsAndCredentialsStayOffMain() {
        let h = H()
        let comment = h.comment(parent: h.root(), "LGTM", signers: [.alice, .bob])
        let v = h.verify(comment)
        expectRejected(v, .accessControls, ["default access control #4 denies this comment commit on branch 'main'"])
        #expect(v.rejection?.hint?.hasPrefix("main takes change commits only") == true)
    }

    /// Any error reading the repository rejects the commit (fail closed).
    @Test func readErrorsReject() {
        let h = H()
        let c = h.change(parent: h.root(), tree: H.edit(H.rootTree, ["a": "1"]), signers: [.alice])
        h.repo.failure = FakeRepository.ReadError(description: "object database corrupt")
        let v = h.verify(c)
        expectRejected(v, .commitShape, ["could not be read: object database corrupt"])
        #expect(v.rejection?.hint == "check the repository with git fsck")
        h.repo.failure = nil
        expectRejected(
            h.verify(ObjectID(bytes: [UInt8](repeating: 7, count: 20))!), .commitShape, ["could not be read: no commit"])
    }

    @Test func oversizedConfigRejects() {
        let h = H()
        let huge = FakeRepository.tree([".dehub/config.yml": "# " + String(repeating: "x", count: ConfigDecoder.maxBytes)])
        expectRejected(
            h.verify(h.root(tree: huge, signers: [.alice])), .config, ["could not be read", "larger than 1048576 bytes"])
    }

    @Test func verifierLimitsApplyToMessages() {
        let h = H()
        let c = h.change(parent: h.root(), tree: H.edit(H.rootTree, ["a": "1"]), signers: [.alice])
        let strict = CommitVerifier(repository: h.repo, signatures: FakeSignatures(), limits: PayloadLimits(maxMessageBytes: 100))
        let v = strict.verify(c, branch: "main", nonFastForward: false)
        expectRejected(v, .payload, ["more than the limit of 100"])
    }

    /// Attack: rotate out a compromised key whose file lives outside `.dehub/`, then push a commit signed with the
    /// old key in the same push. The config loader caches governing configs by the id of the `.dehub` directory,
    /// which did not change, so it keeps serving the old key material.
    /// Attack: a key file outside `.dehub/` escapes rules on `.dehub/**` and the governing-config cache.
    /// Proves: such a config is refused outright (key files must live under `.dehub/`).
    @Test func keyFileOutsideDehubIsRefused() {
        let h = H()
        let config =
            "accounts:\n- id: alice\n  signifiers:\n  - type: pgp_public_key\n    body: '\(H.aliceKey)'\n"
            + "- id: bob\n  signifiers:\n  - type: pgp_public_key_file\n    path: keys/bob.asc\n"
        let tree0 = FakeRepository.tree([".dehub/config.yml": config, "keys/bob.asc": "pgp:B0B0000000000002"])
        let root = h.change(parent: nil, tree: tree0, description: "Initial commit", signers: [.alice])
        expectRejected(h.verify(root), .config, ["'keys/bob.asc' must be a relative path under .dehub/"])
    }

    @Test func checksHaveStableNames() {
        #expect(
            VerificationCheck.allCases.map(\.rawValue) == [
                "commit shape", "config", "payload", "fingerprint", "files changed", "credentials", "access controls",
                "root of trust",
                "ancestry", "tag object",
            ])
    }
}
