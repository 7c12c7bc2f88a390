/// Verifies a release tag (format §13.2): an annotated tag object of a commit on main, whose `tag` payload names
/// the tag and its target, whose fingerprint matches, whose credentials all verify, and which the access controls
/// of the project's current rules (the config at main's tip) allow. Fails closed: any error reading the repository
/// is a rejection.
public struct TagVerifier {
    public let repository: RepositoryReading & TagReading
    let signatures: SignatureVerifying
    let limits: PayloadLimits

    public init(repository: RepositoryReading & TagReading, signatures: SignatureVerifying, limits: PayloadLimits = .default) {
        self.repository = repository
        self.signatures = signatures
        self.limits = limits
    }

    /// The largest tag object read: the message limit plus room for the headers, as for commits (format §10 rule 7).
    public var maxObjectBytes: Int { limits.maxMessageBytes + 64 << 10 }

    /// Verifies `object` as `refs/tags/NAME`.
    /// - Parameters:
    ///   - rulesAt: the commit whose config governs: main's tip (before the push, in the hook).
    ///   - mainAfter: main as it will be (after the push, in the hook): the target must be one of its commits.
    public func verify(name: String, object: ObjectID, rulesAt: ObjectID, mainAfter: ObjectID) -> TagVerdict {
        var verdict = TagVerdict(name: name, object: object)
        do {
            try run(&verdict, rulesAt: rulesAt, mainAfter: mainAfter)
        } catch let rejection as Rejection {
            verdict.rejection = rejection
        } catch {
            verdict.rejection = Rejection(.tagObject, "could not be read: \(error)", hint: "check the repository with git fsck")
        }
        return verdict
    }

    private func run(_ verdict: inout TagVerdict, rulesAt: ObjectID, mainAfter: ObjectID) throws {
        let name = verdict.name
        guard let tag = try repository.annotatedTag(verdict.object, limit: maxObjectBytes) else {
            throw Rejection(
                .tagObject,
                "points at \(verdict.object.short), which is not an annotated tag object: lightweight tags are refused",
                hint: "make release tags with `dehub tag \(name) --as ACCOUNT`")
        }
        guard tag.name == name else {
            throw Rejection(
                .tagObject, "the tag object calls itself '\(tag.name)', not '\(name)'", hint: "make release tags with `dehub tag`"
            )
        }
        guard tag.targetIsCommit else {
            throw Rejection(.tagObject, "points at \(tag.target.short), which is not a commit", hint: "tag a commit of main")
        }
        verdict.target = tag.target
        guard tag.messageIsValidUTF8 else {
            throw Rejection(.payload, "the tag message is not valid UTF-8", hint: "make release tags with `dehub tag`")
        }
        let payload: Payload
        do {
            payload = try CommitMessage.parse(tag.message, limits: limits).payload
        } catch {
            throw Rejection(
                .payload, "tag message: " + error.message, hint: "make release tags with `dehub tag`; see docs/format.md §13")
        }
        guard case .tag(let fields) = payload.body else {
            throw Rejection(
                .payload, "the tag message carries a \(payload.type.rawValue) payload, not a tag payload",
                hint: "make release tags with `dehub tag`")
        }
        verdict.description = fields.description
        guard fields.name == name else {
            throw Rejection(
                .payload, "the payload names tag '\(fields.name)', not '\(name)'", hint: "make release tags with `dehub tag`")
        }
        guard fields.target == tag.target else {
            throw Rejection(
                .payload, "the payload names target \(fields.target.short), but the tag object points at \(tag.target.short)",
                hint: "make release tags with `dehub tag`")
        }
        let actual = fields.fingerprint
        guard actual == payload.fingerprint else {
            throw Rejection(
                .fingerprint, "the payload's fingerprint \(payload.fingerprint) does not match the tag (\(actual))",
                hint: "re-create the tag with `dehub tag` and collect credentials again")
        }
        guard try repository.isAncestor(tag.target, of: mainAfter) else {
            throw Rejection(
                .ancestry, "its target \(tag.target.short) is not a commit of main: a release tags verified history",
                hint: "tag a commit of main (combine the work onto main first)")
        }
        let governing: GoverningConfig
        switch try ConfigLoader(repository: repository).load(tree: try repository.tree(ofCommit: rulesAt)) {
        case .success(let g): governing = g
        case .failure(let error):
            throw Rejection(.config, "the config at main's tip (\(rulesAt.short)) is invalid: \(error.message)", hint: nil)
        }
        let signed: SignedMessage
        do {
            signed = try SignedMessage.governed(by: governing.config, fingerprint: payload.fingerprint) {
                try ProjectID.ofHistory(of: tag.target, in: repository)
            }
        } catch {
            throw Rejection(
                .credentials,
                "the config binds credentials to the project, but the root commit of \(tag.target.short) could not be read: \(error)",
                hint: "check the repository with git fsck")
        }
        verdict.credentials = CredentialChecker(signatures: signatures)
            .check(payload.credentials, message: signed, governing: governing)
        if let rejection = Rejection.failedCredentials(
            verdict.credentials,
            hint: "every credential on a tag must verify over its fingerprint (a credential of another tag never does)")
        {
            throw rejection
        }
        let facts = CommitFacts.tag(name, verifiedAccounts: Set(verdict.verifiedAccounts))
        let decision = AccessControlEvaluator.evaluate(facts, config: governing.config)
        verdict.decision = decision
        guard decision.isAllowed else {
            throw Rejection(
                .accessControls, AccessDenialText.reason(decision, facts: facts),
                hint: AccessDenialText.hint(decision, facts: facts))
        }
    }
}
