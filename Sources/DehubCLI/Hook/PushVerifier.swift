import DehubCore
import DehubGit
import DehubSignatures

/// Decides a whole push (format §10) on a real repository: DehubCore's `PushRules` decide which refs may move and
/// which commits each update brings; this adapter adds what only libgit2 can do (commit sizes read from object
/// headers before anything walks them, main's tip as the remote has it on the client side), then verifies the
/// commits on all cores, stopping at the first refused one.
struct PushVerifier {
    typealias Refusal = PushRefusal

    struct Outcome {
        var refusals: [Refusal] = []
        /// The verdicts of the commits checked, in order; verification stops at the first refused commit.
        var verdicts: [CommitVerdict] = []
        var checkedCommits = 0
        /// The release tags the push creates, each verified (format §13.2).
        var tags: [TagVerdict] = []
        /// Commits after the first refused one, left unchecked.
        var uncheckedCommits = 0
        /// Ref updates after the first refused one, left unchecked.
        var uncheckedUpdates = 0
        var isAccepted: Bool { refusals.isEmpty && verdicts.allSatisfy(\.isVerified) }
    }

    enum Side {
        /// On the server: refs are the repository's own (not yet updated); objects may be quarantined.
        case server
        /// On the client before a push: refs/remotes/REMOTE/* tell what the remote has.
        case client(remote: String)
    }

    let repo: GitRepository
    let open: @Sendable () throws -> GitRepository
    var roles: PusherRolePolicy = .anyone
    let limits: HookLimits
    let side: Side
    /// On the server: the repository as it was before the push (its objects without git's quarantine), so that
    /// the commits the push brings are found, and their sizes checked, before anything walks them.
    var before: GitRepository?
    /// One per push: a credential copied onto many commits is checked once.
    let signatures = MemoizingSignatureVerifier(wrapping: SignatureVerifier.shared)

    func verify(_ updates: [RefUpdate]) throws -> Outcome {
        var outcome = Outcome()
        let rules = PushRules(
            repo: repo, signatures: signatures, roles: roles, maxCommits: limits.maxCommits,
            limits: PayloadLimits(maxMessageBytes: limits.maxMessageBytes))
        if case .server = side {
            outcome.refusals = try updates.compactMap(rules.staleOldValue)
            guard outcome.refusals.isEmpty else { return outcome }
        }
        if let before {
            try scanPushedCommits(updates, before: before)
        }
        let plan: PushRules<GitRepository>.Plan
        do {
            plan = try rules.plan(updates, mainBefore: try currentTip(of: RefUpdate.mainRef))
        } catch is PushRules<GitRepository>.TooManyCommits {
            throw tooManyCommits()
        }
        outcome.refusals = plan.refusals
        outcome.uncheckedUpdates = plan.uncheckedUpdates
        outcome.tags = plan.tags
        guard outcome.refusals.isEmpty else { return outcome }
        let items = plan.commits.map {
            ParallelVerification.Item(commit: $0.commit, branch: $0.branch, nonFastForward: $0.nonFastForward)
        }
        outcome.verdicts = try ParallelVerification.verify(
            items, open: open, signatures: signatures,
            limits: PayloadLimits(maxMessageBytes: limits.maxMessageBytes), stopAtFirstRejection: true)
        outcome.checkedCommits = outcome.verdicts.count
        outcome.uncheckedCommits = items.count - outcome.verdicts.count
        return outcome
    }

    /// Finds the commits the push brings from their object headers first: an oversized commit is refused unread,
    /// and a push of more new commits than the limit is refused before any history walk.
    private func scanPushedCommits(_ updates: [RefUpdate], before: GitRepository) throws {
        // Branches are walked, and the commits release tags point at (format §13.2); other refs are refused below,
        // whatever they point at, and so is a tag that is not an annotated tag object of a commit.
        var tips = updates.filter { !$0.isDeletion && $0.branch != nil }.map(\.new)
        for update in updates where !update.isDeletion && update.tag != nil {
            let tag: TagObject?
            do {
                tag = try repo.annotatedTag(update.new, limit: repo.maxCommitObjectBytes)
            } catch let error as TagTooLarge {
                throw CLIError(
                    "\(update.ref): \(error.description) (git config dehub.maxMessageBytes, plus "
                        + "\(GitRepository.commitHeaderAllowance >> 10) KiB of headers)",
                    hint: "a release tag's message is at most \(limits.maxMessageBytes) bytes here", status: .notVerifiable)
            }
            if let tag, tag.targetIsCommit { tips.append(tag.target) }
        }
        do {
            _ = try repo.scanPushedCommits(from: tips, before: before, maxCount: limits.maxCommits)
        } catch is TooManyPushedCommits {
            throw tooManyCommits()
        } catch let error as CommitTooLarge {
            throw CLIError(
                "commit \(error.commit.short) is \(error.size) bytes, more than the limit of \(error.limit) bytes for a commit object "
                    + "(git config dehub.maxMessageBytes, plus \(GitRepository.commitHeaderAllowance >> 10) KiB of headers); it was not read",
                hint: "a dehub commit message is at most \(limits.maxMessageBytes) bytes here", status: .notVerifiable)
        }
    }

    private func tooManyCommits() -> CLIError {
        CLIError(
            "the push brings more than \(limits.maxCommits) commits to verify (git config \(limits.maxCommitsKey))",
            hint: "push in smaller steps, or ask the server operator to raise \(limits.maxCommitsKey)", status: .notVerifiable)
    }

    private func currentTip(of ref: String) throws -> ObjectID? {
        switch side {
        case .server: return try repo.reference(ref)
        case .client(let remote):
            // git passes the URL as the remote's name for `git push URL`: then no remote-tracking refs exist,
            // and the local branch stands in for what the remote has.
            let tracking = "refs/remotes/\(remote)/" + ref.dropFirst("refs/heads/".count)
            if let tip = try? repo.reference(tracking) { return tip }
            return try? repo.reference(ref)
        }
    }
}
