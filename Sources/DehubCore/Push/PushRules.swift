/// The rules of a whole push (format §10) as a pure function over the `PushRepository` port: which refs may move,
/// main's root of trust, deletions and rewinds by role, non-fast-forward updates, and which commits each update
/// asks its branch to take. The commits themselves are then verified one by one (`CommitVerifier`); the hook, the
/// pre-push check and every later user of these rules (tags, mirrors, a cluster) share this one decision.
public struct PushRules<Repository: PushRepository> {
    public let repo: Repository
    public let signatures: SignatureVerifying
    public let roles: PusherRolePolicy
    /// Refuse a push that asks more commits than this to be verified.
    public let maxCommits: Int
    /// The bounds on a tag's message (release tags are judged here, format §13.2).
    public let limits: PayloadLimits

    public init(
        repo: Repository, signatures: SignatureVerifying, roles: PusherRolePolicy, maxCommits: Int,
        limits: PayloadLimits = .default
    ) {
        self.repo = repo
        self.signatures = signatures
        self.roles = roles
        self.maxCommits = maxCommits
        self.limits = limits
    }

    /// One commit a branch would take, with the facts it is judged under.
    public struct CommitToVerify: Equatable, Sendable {
        public var commit: ObjectID
        public var branch: String
        public var nonFastForward: Bool

        public init(commit: ObjectID, branch: String, nonFastForward: Bool) {
            self.commit = commit
            self.branch = branch
            self.nonFastForward = nonFastForward
        }
    }

    /// What the rules decided before any commit is verified.
    public struct Plan: Equatable, Sendable {
        /// The first refused update (the rules stop there); empty when every update may go ahead.
        public var refusals: [PushRefusal] = []
        /// The commits to verify, update by update, each oldest first. Empty when an update was refused.
        public var commits: [CommitToVerify] = []
        /// Updates after the first refused one, not looked at.
        public var uncheckedUpdates = 0
        /// The release tags the push creates, each verified (format §13.2).
        public var tags: [TagVerdict] = []

        public init() {}
    }

    /// More commits to verify than `maxCommits`.
    public struct TooManyCommits: Error, Equatable, Sendable {
        public let limit: Int
    }

    /// Format §10: an update is judged from the ref's real current value, never from the old value the client
    /// claims (git's own compare-and-swap would refuse a wrong one only after the hook has judged it).
    public func staleOldValue(_ update: RefUpdate) throws -> PushRefusal? {
        let current = try repo.referenceTarget(update.ref)
        guard current != (update.isCreation ? nil : update.old) else { return nil }
        let claim = update.isCreation ? "says '\(update.ref)' is new" : "says '\(update.ref)' is at \(update.old.short)"
        let fact = current.map { "the repository has it at \($0.short)" } ?? "the repository has no such ref"
        return PushRefusal(
            ref: update.ref, reason: "the push \(claim), but \(fact): the update is judged from the real current value only",
            hint: "fetch, then push again")
    }

    /// Decides every update of a push, in order, stopping at the first refused one.
    /// - Parameter mainBefore: main's tip before the push (the server's own ref; on the client, what the remote has).
    public func plan(_ updates: [RefUpdate], mainBefore: ObjectID?) throws -> Plan {
        var plan = Plan()
        let mainCreation = updates.first { $0.ref == RefUpdate.mainRef && !$0.isDeletion && mainBefore == nil }
        // The root of trust: main's roots before the push. Only a push that creates main sets them.
        let rootAnchor = mainBefore ?? mainCreation?.new
        // A push that brings a tag and the commits it points to is judged as a whole: the target must be on main
        // as the push leaves it.
        let mainAfter = updates.last { $0.ref == RefUpdate.mainRef && !$0.isDeletion }?.new ?? mainBefore
        for (index, update) in updates.enumerated() {
            if let tag = update.tag {
                switch tagJudgement(update, tag: tag, mainBefore: mainBefore, mainAfter: mainAfter) {
                case .accepted(let verdict):
                    plan.tags.append(verdict)
                    continue
                case .refused(let refusal):
                    plan.refusals = [refusal]
                    plan.commits = []
                    plan.tags = []
                    plan.uncheckedUpdates = updates.count - index - 1
                    return plan
                }
            }
            let branch: String, nonFastForward: Bool
            switch try judge(update, mainBefore: mainBefore, rootAnchor: rootAnchor) {
            case .refused(let refusal):
                plan.refusals = [refusal]
                plan.commits = []
                plan.tags = []
                plan.uncheckedUpdates = updates.count - index - 1
                return plan
            case .deletion:
                continue
            case .update(let name, let isNonFastForward):
                branch = name
                nonFastForward = isNonFastForward
            }
            var commits = try commitsBrought(by: update, branch: branch, mainBefore: mainBefore ?? mainCreation?.new)
            // An update that brings no commit of its own (a new branch at an existing commit, main rewound or moved
            // sideways onto existing commits) still has its new tip judged under this branch's rules.
            if !commits.contains(update.new) { commits.append(update.new) }
            plan.commits += commits.map { CommitToVerify(commit: $0, branch: branch, nonFastForward: nonFastForward) }
            guard plan.commits.count <= maxCommits else { throw TooManyCommits(limit: maxCommits) }
        }
        return plan
    }

    /// Format §13.2: a tag is created once, as an annotated tag object that verifies under the project's current
    /// rules (the config at main's tip before the push), on a commit of main; it is never moved nor deleted.
    private func tagJudgement(
        _ update: RefUpdate, tag: String, mainBefore: ObjectID?, mainAfter: ObjectID?
    ) -> TagJudgement {
        let immutable = "published release tags are immutable"
        if update.isDeletion {
            return .refused(
                PushRefusal(
                    ref: update.ref, reason: "deleting tag '\(tag)' is never allowed: \(immutable)",
                    hint: "publish a new tag instead"))
        }
        if !update.isCreation {
            return .refused(
                PushRefusal(
                    ref: update.ref,
                    reason: "moving tag '\(tag)' from \(update.old.short) to \(update.new.short) is never allowed: \(immutable)",
                    hint: "publish a new tag instead"))
        }
        if let problem = TagName.problem(tag) {
            return .refused(PushRefusal(ref: update.ref, reason: "tag name \(problem)", hint: nil))
        }
        guard let mainBefore, let mainAfter else {
            return .refused(
                PushRefusal(
                    ref: update.ref, reason: "main does not exist yet, so tag '\(tag)' has no rules to be judged by",
                    hint: "push main first, then the tag"))
        }
        let verdict = TagVerifier(repository: repo, signatures: signatures, limits: limits)
            .verify(name: tag, object: update.new, rulesAt: mainBefore, mainAfter: mainAfter)
        guard let rejection = verdict.rejection else { return .accepted(verdict) }
        return .refused(
            PushRefusal(
                ref: update.ref, reason: "tag '\(tag)' is not verifiable (\(rejection.check.rawValue)): \(rejection.reason)",
                hint: rejection.hint))
    }

    private enum TagJudgement {
        case accepted(TagVerdict)
        case refused(PushRefusal)
    }

    private enum Judgement {
        case refused(PushRefusal)
        /// An allowed deletion: no commit to verify.
        case deletion
        /// An update of `branch` whose commits are to be verified.
        case update(branch: String, nonFastForward: Bool)
    }

    /// Whether `update` is refused before its commits are looked at, and if not, how its commits are judged.
    private func judge(_ update: RefUpdate, mainBefore: ObjectID?, rootAnchor: ObjectID?) throws -> Judgement {
        let verdict = try refusal(of: update, mainBefore: mainBefore, rootAnchor: rootAnchor)
        if let refusal = verdict.refusal { return .refused(refusal) }
        guard let branch = update.branch, !update.isDeletion else { return .deletion }
        return .update(branch: branch, nonFastForward: verdict.nonFastForward)
    }

    /// Why `update` is refused, or nil; and whether it is a non-fast-forward.
    private func refusal(
        of update: RefUpdate, mainBefore: ObjectID?, rootAnchor: ObjectID?
    ) throws -> (refusal: PushRefusal?, nonFastForward: Bool) {
        let refused = { (refusal: PushRefusal?) in (refusal, false) }
        guard let branch = update.branch else {
            return refused(
                PushRefusal(
                    ref: update.ref, reason: "only branches (refs/heads/*) may be pushed; \(update.ref) is refused",
                    hint: "besides branches, dehub repositories take only release tags (refs/tags/*, docs/format.md §13)"))
        }
        if update.isDeletion {
            if branch == "main" {
                return refused(PushRefusal(ref: update.ref, reason: "deleting main is never allowed", hint: nil))
            }
            return refused(roles.refusal(deleting: branch, ref: update.ref))
        }
        if update.ref == RefUpdate.mainRef, mainBefore == nil, let refusal = roles.refusalCreatingMain(ref: update.ref) {
            return refused(refusal)
        }
        guard let rootAnchor else {
            return refused(
                PushRefusal(
                    ref: update.ref, reason: "main does not exist yet, so '\(branch)' cannot be checked against it",
                    hint: "push main first: its root commit is the project's root of trust"))
        }
        guard try RootAncestry.sharesRoots(update.new, with: rootAnchor, in: repo) else {
            return refused(
                PushRefusal(
                    ref: update.ref,
                    reason: branch == "main"
                        ? "the new main does not descend from main's root commit (the project's root of trust)"
                        : "'\(branch)' does not descend from the root commit of main",
                    hint: "start thread branches from main (git switch -c NAME main)"))
        }
        if !update.isCreation, !(try repo.hasObject(update.old)) {
            return refused(
                PushRefusal(
                    ref: update.ref,
                    reason: "the remote's '\(branch)' is at \(update.old.short), which this repository does not have",
                    hint: "fetch first (git fetch), rebase onto the remote branch, then push"))
        }
        let nonFastForward = try !update.isCreation && !repo.isAncestor(update.old, of: update.new)
        guard nonFastForward else { return (nil, false) }
        if branch != "main", let refusal = roles.refusal(rewinding: branch, ref: update.ref) { return (refusal, true) }
        return (try NonFastForwardGate(repo: repo, signatures: signatures).refusal(for: update, branch: branch), true)
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
}
