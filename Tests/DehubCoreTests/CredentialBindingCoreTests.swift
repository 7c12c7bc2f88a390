import DehubTestSupport
import Testing

@testable import DehubCore

/// `bind_credentials` (format §6.7): the config key, the bound message byte for byte, and the verifier binding
/// credentials to the root commit of the history (twenty zero bytes for a root commit).
@Suite struct CredentialBindingCoreTests {
    /// The fingerprint of format §5.4.
    static let fingerprint = try! Fingerprint(base64: "AIRb5PXTbVzrnVzBEGEB0qylGV2vZ/t2NQzylqsbxeFf")

    // MARK: - The config key

    @Test(arguments: [
        ("bind_credentials: true\n", true), ("bind_credentials: false\n", false), ("accounts: []\n", false), ("", false),
    ])
    func decodesTheKey(_ yaml: String, _ bound: Bool) throws {
        #expect(try ConfigDecoder.decode(Array(yaml.utf8)).bindCredentials == bound)
    }

    @Test(arguments: [
        (
            "bind_credentials: yes\n",
            ".dehub/config.yml: line 1, column 19: bind_credentials: expected true or false, found boolean"
        ),
        (
            "bind_credentials: \"true\"\n",
            ".dehub/config.yml: line 1, column 19: bind_credentials: expected true or false, found string"
        ),
        (
            "bind_credentials: True\n",
            ".dehub/config.yml: line 1, column 19: bind_credentials: expected true or false, found boolean"
        ),
        (
            "bind_credentials: 1\n",
            ".dehub/config.yml: line 1, column 19: bind_credentials: expected true or false, found integer"
        ),
        ("bind_credentials:\n", ".dehub/config.yml: line 1, column 18: bind_credentials: expected true or false, found null"),
        (
            "bind_credentials: [true]\n",
            ".dehub/config.yml: line 1, column 19: bind_credentials: expected true or false, found a list"
        ),
        ("bind_credential: true\n", ".dehub/config.yml: line 1, column 1: bind_credential: unknown key"),
        (
            "bind_credentials: true\nbind_credentials: false\n",
            ".dehub/config.yml is not valid YAML: line 2, column 1: duplicate key 'bind_credentials'"
        ),
    ])
    func refusesWrongValues(_ yaml: String, _ expected: String) {
        #expect(Fixtures.configError(yaml) == expected)
    }

    /// Seeded mutations of a bound config: no crash, only typed errors, and what decodes still has a boolean.
    @Test(arguments: [UInt64(31), 32, 33])
    func fuzzedBoundConfigs(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let valid = Array(("bind_credentials: true\n" + VerifierHarness.config).utf8)
        var accepted = 0, bound = 0, refused = 0
        for _ in 0..<2_500 {
            do {
                let config = try ConfigDecoder.decode(FuzzTests.mutate(valid, &rng))
                accepted += 1
                if config.bindCredentials { bound += 1 }
            } catch {
                refused += 1
                #expect(error.message.hasPrefix(".dehub/config.yml"))
            }
        }
        #expect(refused > 100)
        #expect(bound > 10, "most mutations leave the key alone")
        #expect(accepted + refused == 2_500)
    }

    // MARK: - The bytes

    @Test func unboundIsTheFingerprint() {
        let m = SignedMessage(fingerprint: Self.fingerprint, binding: .none)
        #expect(m.bytes == Self.fingerprint.bytes)
        #expect(m.bytes.count == 33)
    }

    @Test func boundIsPrefixProjectFingerprint() {
        let root = ObjectID(hex: "7a1f3c5e9b2d4f6081a3c5e7092b4d6f8a0c2e41")!  // the example of format §6.7
        let m = SignedMessage(fingerprint: Self.fingerprint, binding: .project(ProjectID(root: root)))
        #expect(SignedMessage.boundPrefix.count == 26)
        #expect(Hex.encode(SignedMessage.boundPrefix) == "646568756220626f756e642063726564656e7469616c20763100")
        #expect(m.bytes.count == 79)
        #expect(
            Hex.encode(m.bytes) == "646568756220626f756e642063726564656e7469616c20763100"
                + "7a1f3c5e9b2d4f6081a3c5e7092b4d6f8a0c2e41"
                + "00845be4f5d36d5ceb9d5cc1106101d2aca5195daf67fb76350cf296ab1bc5e15f")
        let root0 = SignedMessage(fingerprint: Self.fingerprint, binding: .project(.rootCommit))
        #expect(Array(root0.bytes[26..<46]) == [UInt8](repeating: 0, count: 20))
    }

    @Test func theConfigChoosesAndTheProjectIsOnlyAskedWhenBound() throws {
        var asked = 0
        let project = { () -> ProjectID in
            asked += 1; return .rootCommit
        }
        let plain = try SignedMessage.governed(by: Config(), fingerprint: Self.fingerprint, project: project)
        #expect(plain.binding == .none && asked == 0)
        let bound = try SignedMessage.governed(by: Config(bindCredentials: true), fingerprint: Self.fingerprint, project: project)
        #expect(bound.binding == .project(.rootCommit) && asked == 1)
    }

    // MARK: - The verifier

    /// A bound root (signed over twenty zero bytes) and a change on it (signed over the root's id); credentials
    /// made for another project, or unbound, are refused.
    @Test func verifierBindsToTheRootOfTheHistory() {
        let h = VerifierHarness()
        var tree = VerifierHarness.rootTree
        tree[".dehub/config.yml"] = FakeRepository.Entry(
            mode: 0o100644, bytes: Array(("bind_credentials: true\n" + VerifierHarness.config).utf8))
        let rootFiles = h.repo.diff(from: [:], to: tree)
        let rootFP = Fingerprint.change(description: "Initial commit", files: rootFiles)
        let rootMessage = SignedMessage(fingerprint: rootFP, binding: .project(.rootCommit))
        let root = h.repo.addCommit(
            parents: [], tree: tree,
            message: Self.render(.change(description: "Initial commit"), rootFP, [.alice, .bob], over: rootMessage))
        #expect(h.verify(root).isVerified, "\(h.verify(root).rejection?.reason ?? "")")

        let next = VerifierHarness.edit(tree, ["a.txt": "a\n"])
        let fp = Fingerprint.change(description: "Add a", files: h.repo.diff(from: tree, to: next))
        func commit(signedFor binding: SignedMessage.Binding) -> ObjectID {
            h.repo.addCommit(
                parents: [root], tree: next,
                message: Self.render(
                    .change(description: "Add a"), fp, [.carol], over: SignedMessage(fingerprint: fp, binding: binding)))
        }
        let good = commit(signedFor: .project(ProjectID(root: root)))
        #expect(h.verify(good).isVerified, "\(h.verify(good).rejection?.reason ?? "")")
        let otherProject = commit(signedFor: .project(ProjectID(root: ObjectID(hex: String(repeating: "ab", count: 20))!)))
        #expect(h.verify(otherProject).rejection?.check == .credentials)
        let unbound = commit(signedFor: .none)
        #expect(h.verify(unbound).rejection?.check == .credentials)
        let asIfRoot = commit(signedFor: .project(.rootCommit))
        #expect(h.verify(asIfRoot).rejection?.check == .credentials, "a root's binding is not valid further up")

        // One scope for a whole verification: the same answers, the root worked out once.
        let scoped = CommitVerifier(repository: h.repo, signatures: FakeSignatures(), project: ProjectScope(anchor: good))
        #expect(scoped.verify(good, branch: "main", nonFastForward: false).isVerified)
        #expect(scoped.verify(root, branch: "main", nonFastForward: false).isVerified)
        #expect(scoped.verify(otherProject, branch: "main", nonFastForward: false).rejection?.check == .credentials)
    }

    static func render(
        _ body: Payload.Body, _ fingerprint: Fingerprint, _ signers: [VerifierHarness.Signer], over message: SignedMessage
    ) -> String {
        let credentials: [Credential] = signers.map { signer in
            switch signer {
            case .pgp(let account, let keyID, let pubKeyID, let pubKeyBody):
                return .pgp(
                    PGPCredential(
                        pubKeyID: pubKeyID ?? keyID, signature: FakeSignatures.pgpSignature(keyID: keyID, over: message.bytes),
                        account: account, pubKeyBody: pubKeyBody))
            case .ssh(let account, let key):
                let blob = String(key.split(separator: " ")[1])
                return .ssh(
                    SSHCredential(
                        pubKey: key, signature: FakeSignatures.sshSignature(blob: blob, over: message.bytes), account: account))
            }
        }
        let payload = Payload(body: body, fingerprint: fingerprint, credentials: credentials)
        return TestPayloadWriter.render(head: CommitMessage.defaultHead(for: payload), payload: payload)
    }
}
