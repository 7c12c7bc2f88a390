import DehubCore
import DehubGit
import DehubSignatures

/// Decides a whole push (format §10) on a real repository: DehubCore's `PushRules` decide which refs may move and
/// which commits each update brings; this adapter adds what only libgit2 can do (commit sizes read from object
/// headers before anything walks them, main's tip as the remote has it on the client side), then verifies the
/// commits on all cores, stopping at the first refused one.
///
/// The hook runs it on every push; anything else that must accept ref updates exactly as the hook would (a mirror
/// advancing its refs, a replica, `git-remote-dehub`) runs it with `side: .server` on a repository whose refs are
/// the state it trusts and whose object database holds the new objects.
///
/// `verify` throws `VerificationError` when the updates cannot be judged at all (too many commits, an oversized
/// commit or tag refused unread) and `GitError` when the repository cannot be read; a judged refusal is in the
/// `Outcome`.
public struct PushVerifier {
    public typealias Refusal = PushRefusal

    /// What the push rules and the commit checks decided.
    public struct Outcome: Sendable {
        /// The first refused ref update (the rules stop there); empty when every update may go ahead.
        public var refusals: [Refusal] = []
        /// The verdicts of the commits checked, in order; verification stops at the first refused commit.
        public var verdicts: [CommitVerdict] = []
        public var checkedCommits = 0
        /// The release tags the push creates, each verified (format §13.2).
        public var tags: [TagVerdict] = []
        /// Commits after the first refused one, left unchecked.
        public var uncheckedCommits = 0
        /// Ref updates after the first refused one, left unchecked.
        public var uncheckedUpdates = 0
        /// True when every update may go ahead and every commit they bring verifies.
        public var isAccepted: Bool { refusals.isEmpty && verdicts.allSatisfy(\.isVerified) }
        /// The first commit refused, if any.
        public var firstRefusedVerdict: CommitVerdict? { verdicts.first { !$0.isVerified } }

        public init() {}
    }

    /// Where the verifier runs, which says where main's tip before the push is read.
    public enum Side: Sendable {
        /// On the server: refs are the repository's own (not yet updated); objects may be quarantined.
        case server
        /// On the client before a push: refs/remotes/REMOTE/* tell what the remote has.
        case client(remote: String)
    }

    public let repo: GitRepository
    public let open: @Sendable () throws -> GitRepository
    public var roles: PusherRolePolicy = .anyone
    public let limits: HookLimits
    public let side: Side
    /// On the server: the repository as it was before the push (its objects without git's quarantine), so that
    /// the commits the push brings are found, and their sizes checked, before anything walks them.
    public var before: GitRepository?
    /// One per push: a credential copied onto many commits is checked once.
    let signatures = MemoizingSignatureVerifier(wrapping: SignatureVerifier.shared)

    /// - Parameters:
    ///   - repo: the repository judged: its refs are the state before the updates (`side`), its object database holds
    ///     the new objects.
    ///   - open: makes another handle on the same repository, one per verifying thread.
    ///   - roles: what the pusher may do beyond the format's rules; `.anyone` outside a host.
    ///   - limits: the operator's bounds (`HookLimits.from(repo)` reads them as the hook does).
    public init(
        repo: GitRepository, open: @escaping @Sendable () throws -> GitRepository, roles: PusherRolePolicy = .anyone,
        limits: HookLimits, side: Side, before: GitRepository? = nil
    ) {
        self.repo = repo
        self.open = open
        self.roles = roles
        self.limits = limits
        self.side = side
        self.before = before
    }

    /// Judges `updates` as one push, in order, stopping at the first refused update or commit.
    public func verify(_ updates: [RefUpdate]) throws -> Outcome {
        var outcome = Outcome()
        let rules = PushRules(
            repo: repo, signatures: signatures, roles: roles, maxCommits: limits.maxCommits,
            limits: PayloadLimits(maxMessageBytes: limits.maxMessageBytes))
        if case .server = side {
            outcome.refusals = try updates.compactMap(rules.staleOldValue)
            guard outcome.refusals.isEmpty else { return outcome }
        }
        var inAdvance: HandleInAdvance?
        defer { inAdvance?.finish() }
        if let before {
            let brought = try scanPushedCommits(updates, before: before)
            // Enough commits for several workers: a second handle is opened while the rules walk the push.
            if ParallelVerification.workerCount(items: brought, workers: ProcessorCount.value) > 1 {
                inAdvance = HandleInAdvance(open)
            }
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
        // The handle that scanned and walked the push verifies too: its object cache holds the commits just read
        // (when it bounds commit objects as the workers' handles do; otherwise the workers open their own).
        let primary = repo.maxCommitObjectBytes == limits.maxCommitObjectBytes ? repo : nil
        var workerOpen = open
        if let inAdvance { workerOpen = { try inAdvance.take() } }
        outcome.verdicts = try ParallelVerification.verify(
            items, open: workerOpen, signatures: signatures,
            limits: PayloadLimits(maxMessageBytes: limits.maxMessageBytes), stopAtFirstRejection: true, primary: primary)
        outcome.checkedCommits = outcome.verdicts.count
        outcome.uncheckedCommits = items.count - outcome.verdicts.count
        return outcome
    }

    /// Finds the commits the push brings from their object headers first: an oversized commit is refused unread,
    /// and a push of more new commits than the limit is refused before any history walk.
    /// Returns how many new commits the push brings.
    private func scanPushedCommits(_ updates: [RefUpdate], before: GitRepository) throws -> Int {
        // Branches are walked, and the commits release tags point at (format §13.2); other refs are refused below,
        // whatever they point at, and so is a tag that is not an annotated tag object of a commit.
        var tips = updates.filter { !$0.isDeletion && $0.branch != nil }.map(\.new)
        for update in updates where !update.isDeletion && update.tag != nil {
            let tag: TagObject?
            do {
                tag = try repo.annotatedTag(update.new, limit: repo.maxCommitObjectBytes)
            } catch let error as TagTooLarge {
                throw VerificationError(
                    "\(update.ref): \(error.description) (git config dehub.maxMessageBytes, plus "
                        + "\(GitRepository.commitHeaderAllowance >> 10) KiB of headers)",
                    hint: "a release tag's message is at most \(limits.maxMessageBytes) bytes here", status: .notVerifiable)
            }
            if let tag, tag.targetIsCommit { tips.append(tag.target) }
        }
        do {
            return try repo.scanPushedCommits(from: tips, before: before, maxCount: limits.maxCommits)
        } catch is TooManyPushedCommits {
            throw tooManyCommits()
        } catch let error as CommitTooLarge {
            throw VerificationError(
                "commit \(error.commit.short) is \(error.size) bytes, more than the limit of \(error.limit) bytes for a commit object "
                    + "(git config dehub.maxMessageBytes, plus \(GitRepository.commitHeaderAllowance >> 10) KiB of headers); it was not read",
                hint: "a dehub commit message is at most \(limits.maxMessageBytes) bytes here", status: .notVerifiable)
        }
    }

    private func tooManyCommits() -> VerificationError {
        VerificationError(
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
