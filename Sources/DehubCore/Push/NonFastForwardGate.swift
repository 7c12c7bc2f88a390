/// Judges a non-fast-forward update as a whole (format §10 rule 4), under the config at the branch's current tip:
/// the new tip's credentials are checked against that config, and `NonFastForwardPolicy` decides.
public struct NonFastForwardGate<Repository: PushRepository> {
    public let repo: Repository
    public let signatures: SignatureVerifying

    public init(repo: Repository, signatures: SignatureVerifying) {
        self.repo = repo
        self.signatures = signatures
    }

    /// Nil when the update may go ahead, else why not.
    public func refusal(for update: RefUpdate, branch: String) throws -> PushRefusal? {
        let old = try repo.commit(update.old)
        let new = try repo.commit(update.new)
        let governing: GoverningConfig
        switch try ConfigLoader(repository: repo).load(tree: old.tree) {
        case .success(let g): governing = g
        case .failure(let error):
            return .init(ref: update.ref, reason: "the config at \(branch)'s tip is invalid: \(error.message)", hint: nil)
        }
        guard let payload = try? CommitMessage.parse(new.message).payload else {
            return .init(ref: update.ref, reason: "the new tip \(new.id.short) of '\(branch)' is not a dehub commit", hint: nil)
        }
        let signed = try SignedMessage.governed(by: governing.config, fingerprint: payload.fingerprint) {
            try ProjectID.of(parents: new.parents, in: repo)
        }
        let results = CredentialChecker(signatures: signatures)
            .check(payload.credentials, message: signed, governing: governing)
        var verified = Set<String>()
        for r in results where r.isVerified { if let a = r.account { verified.insert(a) } }
        let files = try repo.changedFiles(from: old.tree, to: new.tree)
        let facts = CommitFacts(
            payloadType: payload.type, branch: branch, changedPaths: files.map(\.pathString), nonFastForward: true,
            verifiedAccounts: verified)
        let decision = NonFastForwardPolicy.evaluate(facts, config: governing.config)
        guard !decision.isAllowed else { return nil }
        var reason = "moving '\(branch)' from \(update.old.short) to \(update.new.short) is not a fast-forward, "
        reason +=
            branch == "main"
            ? "and no entry of the current config allows non-fast-forward updates of main (commit_attributes: {non_fast_forward: true})"
            : "and the current config does not allow it: " + AccessDenialText.reason(decision, facts: facts, credentials: results)
        return .init(ref: update.ref, reason: reason, hint: AccessDenialText.hint(decision, facts: facts))
    }
}
