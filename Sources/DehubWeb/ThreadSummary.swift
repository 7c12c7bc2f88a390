import DehubCore
import DehubGit

/// A thread branch as a reviewer needs to see it: its commits since it left `main`, the credentials collected for
/// the change they make together (format §11), and what `main`'s rules still ask for before `dehub combine` can land
/// it. The credentials are checked, and the rules evaluated, by the engine (`CredentialChecker`,
/// `AccessControlEvaluator`): the same questions `dehub combine` and the hook ask.
struct ThreadSummary {
    struct Entry {
        var id: ObjectID
        var payload: Payload?
        var head: String
        var author: GitPerson
    }

    enum Status: Equatable {
        /// `main`'s rules take the combined change as it stands.
        case ready
        /// A signature filter is not met: how many more, and of whom.
        case needs(count: Int, of: [String])
        /// Anything else that stands in the way, in the engine's words.
        case blocked(String)
    }

    var branch: String
    var tip: ObjectID
    /// Oldest first.
    var entries: [Entry]
    /// More commits than the page reads.
    var truncated: Bool
    /// Accounts whose credentials on the thread verify for the combined change.
    var collected: [String]
    var status: Status
    /// The thread left main before main's tip: it must be rebased before it is combined.
    var needsRebase: Bool

    static func make(
        repo: GitRepository, branch: String, tip: ObjectID, mainTip: ObjectID, signatures: SignatureVerifying,
        maxCommits: Int
    ) throws -> ThreadSummary {
        var summary = ThreadSummary(
            branch: branch, tip: tip, entries: [], truncated: false, collected: [], status: .blocked(""),
            needsRebase: false)
        guard let base = try repo.mergeBase(tip, mainTip) else {
            summary.status = .blocked("this branch shares no history with main")
            return summary
        }
        summary.needsRebase = base != mainTip
        // The thread's commits by first parents, back to where it left main: bounded by `maxCommits`.
        var current = tip
        var ids: [ObjectID] = []
        while current != base {
            guard ids.count < maxCommits else {
                summary.truncated = true
                break
            }
            ids.append(current)
            guard let parent = try repo.commit(current).parents.first else { break }
            current = parent
        }
        for id in ids.reversed() {
            let info = try repo.commit(id)
            let payload = try? CommitMessage.parse(info.message).payload
            summary.entries.append(Entry(id: id, payload: payload, head: info.head, author: try repo.people(ofCommit: id).author))
        }
        guard !summary.entries.isEmpty else {
            summary.status = .blocked("nothing new: this branch has no commit that main does not have")
            return summary
        }
        guard !summary.truncated else {
            summary.status = .blocked("the thread is longer than \(maxCommits) commits; check it with `dehub verify`")
            return summary
        }
        let description = summary.entries.reversed().lazy.compactMap { entry -> String? in
            if case .change(let text)? = entry.payload?.body { return text }
            return nil
        }.first
        guard let description else {
            summary.status = .blocked("the thread has no change commit yet")
            return summary
        }

        let baseTree = try repo.tree(ofCommit: base)
        let files = try repo.changedFiles(from: baseTree, to: try repo.tree(ofCommit: tip))
        let fingerprint = Fingerprint.change(description: description, files: files)
        let governing: GoverningConfig
        switch try ConfigLoader(repository: repo).load(tree: baseTree) {
        case .success(let loaded): governing = loaded
        case .failure(let error):
            summary.status = .blocked("main's config is invalid: \(error.message)")
            return summary
        }
        let message = try SignedMessage.governed(by: governing.config, fingerprint: fingerprint) {
            try ProjectID.of(parents: [base], in: repo)
        }
        let checker = CredentialChecker(signatures: signatures)
        var verified: [String] = []
        for entry in summary.entries {
            guard let payload = entry.payload, payload.fingerprint == fingerprint else { continue }
            for result in checker.check(payload.credentials, message: message, governing: governing) where result.isVerified {
                if let account = result.account, !verified.contains(account) { verified.append(account) }
            }
        }
        summary.collected = verified

        let facts = CommitFacts(
            payloadType: .change, branch: "main", changedPaths: files.map(\.pathString), nonFastForward: false,
            verifiedAccounts: Set(verified))
        let decision = AccessControlEvaluator.evaluate(facts, config: governing.config)
        if decision.isAllowed {
            summary.status = .ready
        } else if let unmet = decision.signatureOutcomes.first(where: { $0.negated && !$0.isMet })
            ?? decision.unmetSignatures.first
        {
            let missing = unmet.anyAccount ? ["any account"] : unmet.missingAccounts
            summary.status = .needs(count: max(unmet.required, 1) - unmet.signedAccounts.count, of: missing)
        } else {
            summary.status = .blocked(AccessDenialText.reason(decision, facts: facts))
        }
        return summary
    }
}
