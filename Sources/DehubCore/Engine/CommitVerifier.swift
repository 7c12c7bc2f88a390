/// Verifies single commits against the config of their parent (format §9). Gathers the facts through the ports,
/// then decides with pure functions. Not thread-safe: use one per thread.
public final class CommitVerifier {
    public let repository: RepositoryReading
    let signatures: SignatureVerifying
    let limits: PayloadLimits
    let configs: ConfigLoader
    let project: ProjectScope?
    let cache: VerdictCache?
    /// The last commit read and its tree: in a range verified oldest first, the next commit's parent, whose tree is
    /// then not read again.
    private var lastRead: (id: ObjectID, tree: ObjectID)?

    /// `project`: the history the verified commits share, whose root commit bound credentials name (§6.7); nil
    /// works it out from each commit's own history (one walk per commit that needs it). `cache`: passes recorded
    /// by earlier runs, answered without checking again, and where new passes are recorded (§9.3).
    public init(
        repository: RepositoryReading, signatures: SignatureVerifying, limits: PayloadLimits = .default,
        project: ProjectScope? = nil, cache: VerdictCache? = nil
    ) {
        self.repository = repository
        self.signatures = signatures
        self.limits = limits
        self.configs = ConfigLoader(repository: repository)
        self.project = project
        self.cache = cache
    }

    /// Verifies `id` as a commit that `branch` (short name) would take, `nonFastForward` when the update that
    /// brings it is not a fast-forward. Any error reading the repository is a rejection: this fails closed.
    public func verify(_ id: ObjectID, branch: String, nonFastForward: Bool) -> CommitVerdict {
        var verdict = CommitVerdict(
            commit: id, head: "", branch: branch, payloadType: nil, credentials: [], decision: nil, rejection: nil)
        do {
            try run(&verdict, nonFastForward: nonFastForward)
        } catch let rejection as Rejection {
            verdict.rejection = rejection
        } catch {
            verdict.rejection = Rejection(.commitShape, "could not be read: \(error)", hint: "check the repository with git fsck")
        }
        return verdict
    }

    /// The pass an earlier run recorded for exactly this question (§9.3), or nil: a miss, no cache, or a commit that
    /// cannot be read (the full verification then says what is wrong).
    public func cachedVerdict(_ id: ObjectID, branch: String, nonFastForward: Bool) -> CommitVerdict? {
        guard cache?.answers == true, let commit = try? repository.commit(id) else { return nil }
        return cachedVerdict(commit, head: commit.head, branch: branch, nonFastForward: nonFastForward)
    }

    /// The same for a commit a first-parent walk has just read (`link`): nothing of it is read again. Links are
    /// best asked oldest first, each right after its parent, whose tree is then known without a read.
    public func cachedVerdict(_ link: HistoryLink, branch: String, nonFastForward: Bool) -> CommitVerdict? {
        cachedVerdict(Self.commit(of: link), head: link.head, branch: branch, nonFastForward: nonFastForward)
    }

    /// The same for a link whose parent's tree is known: `parentTree` is the tree of `link.parent` (nil for a root
    /// commit), as a walk newest first knows it from the link it reads next.
    public func cachedVerdict(
        _ link: HistoryLink, parentTree: ObjectID?, branch: String, nonFastForward: Bool
    ) -> CommitVerdict? {
        answer(Self.commit(of: link), head: link.head, parentTree: parentTree, branch: branch, nonFastForward: nonFastForward)
    }

    /// What the cache needs of a link's commit: its id, parent and tree (the message is not read for a hit).
    private static func commit(of link: HistoryLink) -> CommitInfo {
        CommitInfo(id: link.id, parents: link.parent.map { [$0] } ?? [], tree: link.tree, message: "")
    }

    /// A hit for `commit` (already read), its parent's tree read unless it is the last commit read.
    private func cachedVerdict(
        _ commit: CommitInfo, head: String, branch: String, nonFastForward: Bool
    ) -> CommitVerdict? {
        guard cache?.answers == true, commit.parents.count <= 1 else { return nil }
        let parentTree: ObjectID?
        do {
            parentTree = try self.parentTree(of: commit)
        } catch {
            return nil
        }
        return answer(commit, head: head, parentTree: parentTree, branch: branch, nonFastForward: nonFastForward)
    }

    /// A hit for `commit`, whose parent has `parentTree`, taken only when both trees are in the object database: a
    /// commit whose objects are gone is checked (and refused) again. Nothing else is read: the key needs no tree's
    /// content, and the governing config is only loaded on a miss.
    private func answer(
        _ commit: CommitInfo, head: String, parentTree: ObjectID?, branch: String, nonFastForward: Bool
    ) -> CommitVerdict? {
        guard let cache, cache.answers, commit.parents.count <= 1, (parentTree == nil) == commit.parents.isEmpty else {
            return nil
        }
        let key = verdictKey(commit, branch: branch, parentTree: parentTree, nonFastForward: nonFastForward)
        guard cache.contains(key), (try? repository.hasObject(commit.tree)) == true,
            (try? parentTree.map(repository.hasObject) ?? true) == true
        else { return nil }
        lastRead = (commit.id, commit.tree)
        var verdict = CommitVerdict(
            commit: commit.id, head: head, branch: branch, payloadType: nil, credentials: [], decision: nil, rejection: nil)
        verdict.cached = true
        return verdict
    }

    /// The tree of `commit`'s parent (nil for a root commit), from the last commit read when that is the parent.
    private func parentTree(of commit: CommitInfo) throws -> ObjectID? {
        try commit.parents.first.map { parent in
            if let lastRead, lastRead.id == parent { return lastRead.tree }
            return try repository.tree(ofCommit: parent)
        }
    }

    /// What every verdict starts from: the commit, its parent's tree, the governing config and the cache key.
    private struct Prepared {
        var commit: CommitInfo
        var parentTree: ObjectID?
        var governing: GoverningConfig
        var cacheKey: VerdictKey?
    }

    /// Checks 1 and 2 of §9.2 (shape, governing config) for a commit already read, and works out the verdict's cache
    /// key.
    private func settle(_ commit: CommitInfo, _ verdict: inout CommitVerdict, nonFastForward: Bool) throws -> Prepared {
        guard commit.parents.count <= 1 else {
            throw Rejection(
                .commitShape, "is a merge commit (\(commit.parents.count) parents); merges are not verifiable",
                hint: "rebase or squash the work with `dehub combine` instead of merging")
        }

        let parentTree = try self.parentTree(of: commit)
        lastRead = (commit.id, commit.tree)
        let governing: GoverningConfig
        switch try configs.load(tree: parentTree ?? commit.tree) {
        case .success(let g): governing = g
        case .failure(let error):
            throw Rejection(
                .config,
                "the governing config (in the \(parentTree == nil ? "commit's own" : "parent's") tree) is invalid: \(error.message)",
                hint: "fix \(Config.path) in a commit signed as the current rules require")
        }

        let cacheKey = cache.map { _ in
            verdictKey(commit, branch: verdict.branch, parentTree: parentTree, nonFastForward: nonFastForward)
        }
        return Prepared(commit: commit, parentTree: parentTree, governing: governing, cacheKey: cacheKey)
    }

    private func run(_ verdict: inout CommitVerdict, nonFastForward: Bool) throws {
        let read = try repository.commit(verdict.commit)
        verdict.head = read.head
        if let hit = cachedVerdict(read, head: read.head, branch: verdict.branch, nonFastForward: nonFastForward) {
            verdict = hit
            return
        }
        let prepared = try settle(read, &verdict, nonFastForward: nonFastForward)
        let commit = prepared.commit, parentTree = prepared.parentTree, governing = prepared.governing
        let cacheKey = prepared.cacheKey

        guard commit.messageIsValidUTF8 else {
            throw Rejection(.payload, "the commit message is not valid UTF-8", hint: "dehub commits are made with `dehub commit`")
        }
        let message: CommitMessage
        do {
            message = try CommitMessage.parse(commit.message, limits: limits)
        } catch {
            throw Rejection(.payload, error.message, hint: "dehub commits are made with `dehub commit`; see docs/format.md")
        }
        let payload = message.payload
        verdict.payloadType = payload.type

        let files = try repository.changedFiles(of: commit, parentTree: parentTree)
        switch payload.body {
        case .change(let description):
            let actual = Fingerprint.change(description: description, files: files)
            guard actual == payload.fingerprint else {
                throw Rejection(
                    .fingerprint,
                    "the payload's fingerprint \(payload.fingerprint) does not match the change (\(actual)): the description or the files changed after it was made",
                    hint: "re-create the commit with `dehub commit` and collect credentials again")
            }
        case .comment(let text):
            let actual = Fingerprint.comment(text)
            guard actual == payload.fingerprint else {
                throw Rejection(
                    .fingerprint, "the payload's fingerprint \(payload.fingerprint) does not match the comment (\(actual))",
                    hint: "re-create the comment with `dehub commit comment`")
            }
            try refuseFiles(files, type: "comment")
        case .credential:
            try refuseFiles(files, type: "credential")
        case .tag:
            throw Rejection(
                .payload, "carries a tag payload, which belongs only in an annotated tag object under refs/tags/",
                hint: "make release tags with `dehub tag`")
        }

        // A commit that changes the config must leave a valid one behind (the commit that introduces it is refused).
        if parentTree != nil, files.contains(where: { $0.path.starts(with: Array(".dehub/".utf8)) }) {
            if case .failure(let error) = try configs.load(tree: commit.tree) {
                throw Rejection(
                    .config, "the commit leaves an invalid config: \(error.message)", hint: "fix the config and commit again")
            }
        }

        let signed = try signedMessage(parents: commit.parents, fingerprint: payload.fingerprint, governing: governing)
        verdict.credentials = CredentialChecker(signatures: signatures)
            .check(payload.credentials, message: signed, governing: governing)
        if let rejection = Rejection.failedCredentials(
            verdict.credentials, hint: "remove or re-make the bad credentials; every credential on a commit must verify")
        {
            throw rejection
        }

        let verified = Set(verdict.verifiedAccounts)
        if parentTree == nil, verified.isEmpty {
            throw Rejection(
                .rootOfTrust, "is a root commit without a verified credential of an account its own config defines",
                hint: "make the first commit with `dehub commit --as ACCOUNT` after adding the account to \(Config.path)")
        }

        let facts = CommitFacts(
            payloadType: payload.type, branch: verdict.branch, changedPaths: files.map(\.pathString),
            nonFastForward: nonFastForward, verifiedAccounts: verified)
        let decision = AccessControlEvaluator.evaluate(facts, config: governing.config)
        verdict.decision = decision
        guard decision.isAllowed else {
            throw Rejection(
                .accessControls, AccessDenialText.reason(decision, facts: facts),
                hint: AccessDenialText.hint(decision, facts: facts))
        }
        if let cacheKey { cache?.record(cacheKey) }
    }

    /// The question this verification answers, for the verdict cache: every input of the verdict (§9.3).
    private func verdictKey(
        _ commit: CommitInfo, branch: String, parentTree: ObjectID?, nonFastForward: Bool
    ) -> VerdictKey {
        VerdictKey(
            VerdictKey.Inputs(
                commit: commit.id, tree: commit.tree, branch: branch, nonFastForward: nonFastForward,
                governingTree: parentTree ?? commit.tree, limits: limits))
    }

    /// What the commit's credentials must sign: bound to its project when the governing config says so.
    private func signedMessage(
        parents: [ObjectID], fingerprint: Fingerprint, governing: GoverningConfig
    ) throws -> SignedMessage {
        try SignedMessage.governed(by: governing.config, fingerprint: fingerprint) { try boundProject(parents: parents) }
    }

    /// The project bound credentials of a commit with `parents` name (§6.7).
    private func boundProject(parents: [ObjectID]) throws -> ProjectID {
        do {
            guard !parents.isEmpty else { return .rootCommit }
            if let project { return try project.projectID(reading: repository) }
            return try ProjectID.of(parents: parents, in: repository)
        } catch let error as ProjectIDError {
            throw Rejection(
                .credentials, "the governing config binds credentials to the project, but \(error.message)",
                hint: "check the repository with git fsck")
        } catch {
            throw Rejection(
                .credentials,
                "the governing config binds credentials to the project, but its root commit could not be read: \(error)",
                hint: "check the repository with git fsck")
        }
    }

    private func refuseFiles(_ files: [FileChange], type: String) throws {
        guard files.isEmpty else {
            let names = files.prefix(3).map(\.pathString).joined(separator: ", ")
            throw Rejection(
                .filesInNonChange,
                "is a \(type) commit but changes \(files.count) file(s) (\(names)); only change commits may change files",
                hint: "make file changes in a change commit")
        }
    }
}
