@testable import DehubCore

/// Builds small repositories in a `FakeRepository` whose commits carry real dehub payloads and fake signatures
/// (see `FakeSignatures`), and verifies them with a `CommitVerifier`.
final class VerifierHarness {
    static let aliceKey = "pgp:A11CE00000000001"
    static let bobKey = "pgp:B0B0000000000002:B0B05B0000000003"  // primary and a signing subkey
    static let malloryKeyID = "BAD0000000000666"
    static let carolKey = "ssh-ed25519 Q0FST0w carol@laptop"
    static let daveKey = "ssh-ed25519 REFWRQ dave@host"

    /// alice (inline OpenPGP), bob (OpenPGP key file), carol (inline SSH), dave (SSH key file). Changes to `.dehub/`
    /// need alice and bob; everything else follows the defaults.
    static let config = """
        accounts:
        - id: alice
          signifiers:
          - type: pgp_public_key
            body: '\(aliceKey)'
        - id: bob
          signifiers:
          - type: pgp_public_key_file
            path: .dehub/bob.asc
        - id: carol
          signifiers:
          - type: ssh_public_key
            body: \(carolKey)
        - id: dave
          signifiers:
          - type: ssh_public_key_file
            path: .dehub/dave.pub
        access_controls:
        - action: allow
          filters:
          - type: files_changed
            pattern: .dehub/**
          - type: signature
            account_ids: [alice, bob]
            count: 2
        - action: deny
          filters:
          - type: files_changed
            pattern: .dehub/**

        """

    static let rootTree: FakeRepository.Tree = FakeRepository.tree([
        ".dehub/config.yml": config,
        ".dehub/bob.asc": bobKey,
        ".dehub/dave.pub": "# dave's keys\n\n\(daveKey)\n",
        "README.md": "hello\n",
    ])

    enum Signer {
        /// An OpenPGP credential made with key `keyID` (which must be in `FakeSignatures` form), claiming `account`.
        case pgp(String?, keyID: String, pubKeyID: String? = nil, pubKeyBody: String? = nil)
        case ssh(String, key: String)

        static let alice = Signer.pgp("alice", keyID: "A11CE00000000001")
        static let bob = Signer.pgp("bob", keyID: "B0B0000000000002")
        static let bobSubkey = Signer.pgp("bob", keyID: "B0B05B0000000003")
        static let carol = Signer.ssh("carol", key: VerifierHarness.carolKey)
        static let dave = Signer.ssh("dave", key: VerifierHarness.daveKey)
        static let mallory = Signer.pgp("mallory", keyID: VerifierHarness.malloryKeyID)

        func credential(over fingerprint: Fingerprint) -> Credential {
            switch self {
            case .pgp(let account, let keyID, let pubKeyID, let body):
                return .pgp(
                    PGPCredential(
                        pubKeyID: pubKeyID ?? keyID,
                        signature: FakeSignatures.pgpSignature(keyID: keyID, over: fingerprint.bytes),
                        account: account, pubKeyBody: body))
            case .ssh(let account, let key):
                let parts = key.split(separator: " ")
                let blob = String(parts.count > 1 ? parts[1] : parts[0])
                return .ssh(
                    SSHCredential(
                        pubKey: key, signature: FakeSignatures.sshSignature(blob: blob, over: fingerprint.bytes), account: account
                    ))
            }
        }
    }

    let repo = FakeRepository()
    lazy var verifier = CommitVerifier(repository: repo, signatures: FakeSignatures())

    /// A change commit whose fingerprint covers `description` and the diff from `parent` to `tree`; `signers` sign
    /// `signedFingerprint` when given (an attack), else the payload's fingerprint.
    @discardableResult
    func change(
        parent: ObjectID?, tree: FakeRepository.Tree, description: String = "Change", signers: [Signer],
        fingerprintFiles: FakeRepository.Tree? = nil, fingerprintDescription: String? = nil, signedFingerprint: Fingerprint? = nil
    ) -> ObjectID {
        let parentTree = parent.map { repo.treeContents(of: $0) } ?? [:]
        let files = repo.diff(from: parentTree, to: fingerprintFiles ?? tree)
        let fingerprint = Fingerprint.change(description: fingerprintDescription ?? description, files: files)
        let payload = Payload(
            body: .change(description: description), fingerprint: fingerprint,
            credentials: signers.map { $0.credential(over: signedFingerprint ?? fingerprint) })
        let message = TestPayloadWriter.render(head: CommitMessage.defaultHead(for: payload), payload: payload)
        return repo.addCommit(parents: parent.map { [$0] } ?? [], tree: tree, message: message)
    }

    @discardableResult
    func comment(
        parent: ObjectID, _ text: String, signers: [Signer], tree: FakeRepository.Tree? = nil, fingerprint: Fingerprint? = nil
    ) -> ObjectID {
        let fp = fingerprint ?? Fingerprint.comment(text)
        let payload = Payload(body: .comment(text), fingerprint: fp, credentials: signers.map { $0.credential(over: fp) })
        return repo.addCommit(
            parents: [parent], tree: tree ?? repo.treeContents(of: parent),
            message: TestPayloadWriter.render(head: CommitMessage.defaultHead(for: payload), payload: payload))
    }

    @discardableResult
    func credential(parent: ObjectID, for fingerprint: Fingerprint, signers: [Signer], tree: FakeRepository.Tree? = nil)
        -> ObjectID
    {
        let payload = Payload(
            body: .credential(commits: [], changeDescription: nil), fingerprint: fingerprint,
            credentials: signers.map { $0.credential(over: fingerprint) })
        return repo.addCommit(
            parents: [parent], tree: tree ?? repo.treeContents(of: parent),
            message: TestPayloadWriter.render(head: CommitMessage.defaultHead(for: payload), payload: payload))
    }

    /// The root of `main`, signed by alice and bob as its own config demands for `.dehub/`.
    func root(tree: FakeRepository.Tree = VerifierHarness.rootTree, signers: [Signer] = [.alice, .bob]) -> ObjectID {
        change(parent: nil, tree: tree, description: "Initial commit", signers: signers)
    }

    func verify(_ id: ObjectID, branch: String = "main", nonFastForward: Bool = false) -> CommitVerdict {
        verifier.verify(id, branch: branch, nonFastForward: nonFastForward)
    }

    static func edit(_ tree: FakeRepository.Tree, _ changes: [String: String?]) -> FakeRepository.Tree {
        var t = tree
        for (path, content) in changes {
            t[path] = content.map { FakeRepository.Entry(mode: 0o100644, bytes: Array($0.utf8)) }
        }
        return t
    }
}
