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
        var verdicts: [CommitVerdict] = []
        var checkedCommits = 0
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
    var deletions: BranchDeletionPolicy = .anyone
    let limits: HookLimits
    let side: Side

    func verify(_ updates: [RefUpdate]) throws -> Outcome {
        var outcome = Outcome()
        var items: [ParallelVerification.Item] = []
        let mainRef = "refs/heads/main"
        let mainBefore = try currentTip(of: mainRef)
        let mainCreation = updates.first { $0.ref == mainRef && !$0.isDeletion && mainBefore == nil }
        // The root of trust: main's roots before the push. Only a push that creates main sets them.
        let rootAnchor = mainBefore ?? mainCreation?.new

        for update in updates {
            guard let branch = update.branch else {
                outcome.refusals.append(Refusal(
                    ref: update.ref, reason: "only branches (refs/heads/*) may be pushed; \(update.ref) is refused",
                    hint: "dehub repositories take no tags or other refs in format version 0"))
                continue
            }
            if update.isDeletion {
                if branch == "main" {
                    outcome.refusals.append(Refusal(ref: update.ref, reason: "deleting main is never allowed", hint: nil))
                } else if let refusal = deletions.refusal(deleting: branch, ref: update.ref) {
                    outcome.refusals.append(refusal)
                }
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
            if nonFastForward, let refusal = try NonFastForwardGate(repo: repo).refusal(for: update, branch: branch) {
                outcome.refusals.append(refusal)
                continue
            }
            var commits = try commitsBrought(by: update, branch: branch, mainBefore: mainBefore ?? mainCreation?.new)
            // An update that brings no commit of its own (a new branch at an existing commit, main rewound or moved
            // sideways onto existing commits) still has its new tip judged under this branch's rules.
            if !commits.contains(update.new) { commits.append(update.new) }
            items += commits.map { .init(commit: $0, branch: branch, nonFastForward: nonFastForward) }
            guard items.count <= limits.maxCommits else {
                throw CLIError(
                    "the push brings more than \(limits.maxCommits) commits to verify (git config dehub.maxCommits)",
                    hint: "push in smaller steps, or ask the server operator to raise dehub.maxCommits", status: .notVerifiable)
            }
        }
        outcome.checkedCommits = items.count
        guard outcome.refusals.isEmpty else { return outcome }
        outcome.verdicts = try ParallelVerification.verify(
            items, open: open, signatures: SignatureVerifier.shared,
            limits: PayloadLimits(maxMessageBytes: limits.maxMessageBytes))
        return outcome
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
