import DehubCore
import DehubGit
import DehubSignatures

/// Decides a whole push (format §10): every update of a branch is verified commit by commit under that branch's
/// rules; refs outside refs/heads/ and the deletion of main are refused; one refused update refuses the push.
struct PushVerifier {
    struct Refusal: Equatable {
        var ref: String
        var reason: String
        var hint: String?
    }

    struct Outcome {
        var refusals: [Refusal] = []
        /// The verdicts of the commits checked, in order; verification stops at the first refused commit.
        var verdicts: [CommitVerdict] = []
        var checkedCommits = 0
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
        if case .server = side {
            outcome.refusals = try updates.compactMap(staleOldValue)
            guard outcome.refusals.isEmpty else { return outcome }
        }
        if let before {
            try scanPushedCommits(updates, before: before)
        }
        var items: [ParallelVerification.Item] = []
        let mainRef = "refs/heads/main"
        let mainBefore = try currentTip(of: mainRef)
        let mainCreation = updates.first { $0.ref == mainRef && !$0.isDeletion && mainBefore == nil }
        // The root of trust: main's roots before the push. Only a push that creates main sets them.
        let rootAnchor = mainBefore ?? mainCreation?.new

        for (index, update) in updates.enumerated() {
            // Fail fast: the push is refused at its first refused update; the later ones are not looked at.
            guard outcome.refusals.isEmpty else {
                outcome.uncheckedUpdates = updates.count - index
                break
            }
            guard let branch = update.branch else {
                outcome.refusals.append(Refusal(
                    ref: update.ref, reason: "only branches (refs/heads/*) may be pushed; \(update.ref) is refused",
                    hint: "dehub repositories take no tags or other refs in format version 0"))
                continue
            }
            if update.isDeletion {
                if branch == "main" {
                    outcome.refusals.append(Refusal(ref: update.ref, reason: "deleting main is never allowed", hint: nil))
                } else if let refusal = roles.refusal(deleting: branch, ref: update.ref) {
                    outcome.refusals.append(refusal)
                }
                continue
            }
            if update.ref == mainRef, mainBefore == nil, let refusal = roles.refusalCreatingMain(ref: update.ref) {
                outcome.refusals.append(refusal)
                continue
            }
            guard let rootAnchor else {
                outcome.refusals.append(Refusal(
                    ref: update.ref, reason: "main does not exist yet, so '\(branch)' cannot be checked against it",
                    hint: "push main first: its root commit is the project's root of trust"))
                continue
            }
            guard try AncestryCheck.sharesRoots(update.new, with: rootAnchor, in: repo) else {
                outcome.refusals.append(Refusal(
                    ref: update.ref,
                    reason: branch == "main"
                        ? "the new main does not descend from main's root commit (the project's root of trust)"
                        : "'\(branch)' does not descend from the root commit of main",
                    hint: "start thread branches from main (git switch -c NAME main)"))
                continue
            }
            if !update.isCreation, !(try repo.hasObject(update.old)) {
                outcome.refusals.append(Refusal(
                    ref: update.ref, reason: "the remote's '\(branch)' is at \(update.old.short), which this repository does not have",
                    hint: "fetch first (git fetch), rebase onto the remote branch, then push"))
                continue
            }
            let nonFastForward = try !update.isCreation && !repo.isAncestor(update.old, of: update.new)
            if nonFastForward, branch != "main", let refusal = roles.refusal(rewinding: branch, ref: update.ref) {
                outcome.refusals.append(refusal)
                continue
            }
            if nonFastForward,
                let refusal = try NonFastForwardGate(repo: repo, signatures: signatures).refusal(for: update, branch: branch) {
                outcome.refusals.append(refusal)
                continue
            }
            var commits = try commitsBrought(by: update, branch: branch, mainBefore: mainBefore ?? mainCreation?.new)
            // An update that brings no commit of its own (a new branch at an existing commit, main rewound or moved
            // sideways onto existing commits) still has its new tip judged under this branch's rules.
            if !commits.contains(update.new) { commits.append(update.new) }
            items += commits.map { .init(commit: $0, branch: branch, nonFastForward: nonFastForward) }
            guard items.count <= limits.maxCommits else { throw tooManyCommits() }
        }
        outcome.checkedCommits = items.count
        guard outcome.refusals.isEmpty else { return outcome }
        outcome.verdicts = try ParallelVerification.verify(
            items, open: open, signatures: signatures,
            limits: PayloadLimits(maxMessageBytes: limits.maxMessageBytes), stopAtFirstRejection: true)
        outcome.checkedCommits = outcome.verdicts.count
        outcome.uncheckedCommits = items.count - outcome.verdicts.count
        return outcome
    }

    /// Format §10: an update is judged from the ref's real current value, never from the old value the client
    /// claims (git's own compare-and-swap would refuse a wrong one only after the hook has judged it).
    private func staleOldValue(_ update: RefUpdate) throws -> Refusal? {
        let current = try repo.referenceTarget(update.ref)
        guard current != (update.isCreation ? nil : update.old) else { return nil }
        let claim = update.isCreation ? "says '\(update.ref)' is new" : "says '\(update.ref)' is at \(update.old.short)"
        let fact = current.map { "the repository has it at \($0.short)" } ?? "the repository has no such ref"
        return Refusal(
            ref: update.ref, reason: "the push \(claim), but \(fact): the update is judged from the real current value only",
            hint: "fetch, then push again")
    }

    /// Finds the commits the push brings from their object headers first: an oversized commit is refused unread,
    /// and a push of more new commits than the limit is refused before any history walk.
    private func scanPushedCommits(_ updates: [RefUpdate], before: GitRepository) throws {
        // Only branches are walked (other refs are refused below, whatever they point at).
        let tips = updates.filter { !$0.isDeletion && $0.branch != nil }.map(\.new)
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

    /// The commits an update asks the branch to take: everything reachable from the new tip and not from the old
    /// one. For a new branch: not from main as it was before the push (other than main itself), else its whole
    /// history. This is a superset of "commits new to the repository": a branch never takes commits it did not
    /// judge under its own rules.
    private func commitsBrought(by update: RefUpdate, branch: String, mainBefore: ObjectID?) throws -> [ObjectID] {
        if !update.isCreation {
            return try repo.commits(from: update.new, excluding: [update.old])
        }
        if branch != "main", let mainBefore, try repo.hasObject(mainBefore) {
            return try repo.commits(from: update.new, excluding: [mainBefore])
        }
        return try repo.commits(from: update.new, excluding: [])
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
