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

    /// The pass an earlier run recorded for exactly this question (§9.3), or nil: a miss, no cache, or anything that
    /// stops the checks before the cache is asked (the full verification then says what).
    public func cachedVerdict(_ id: ObjectID, branch: String, nonFastForward: Bool) -> CommitVerdict? {
        guard cache?.answers == true else { return nil }
        var verdict = CommitVerdict(
            commit: id, head: "", branch: branch, payloadType: nil, credentials: [], decision: nil, rejection: nil)
        guard let facts = try? prepare(&verdict, nonFastForward: nonFastForward),
            (try? answerFromCache(facts, &verdict)) == true
        else { return nil }
        return verdict
    }

    /// The same for a commit a first-parent walk has just read (`link`): nothing of it is read again. Links are
    /// best asked oldest first, each right after its parent, whose tree is then known without a read.
    public func cachedVerdict(_ link: HistoryLink, branch: String, nonFastForward: Bool) -> CommitVerdict? {
        guard cache?.answers == true else { return nil }
        var verdict = CommitVerdict(
            commit: link.id, head: link.head, branch: branch, payloadType: nil, credentials: [], decision: nil,
            rejection: nil)
        let commit = CommitInfo(id: link.id, parents: link.parent.map { [$0] } ?? [], tree: link.tree, message: "")
        guard let facts = try? settle(commit, &verdict, nonFastForward: nonFastForward),
            (try? answerFromCache(facts, &verdict)) == true
        else { return nil }
        return verdict
    }

    /// What every verdict starts from: the commit, its parent's tree, the governing config and the cache key.
    private struct Prepared {
        var commit: CommitInfo
        var parentTree: ObjectID?
        var governing: GoverningConfig
        var cacheKey: VerdictKey?
    }

    /// Checks 1 and 2 of §9.2 (shape, governing config) and works out the verdict's cache key.
    private func prepare(_ verdict: inout CommitVerdict, nonFastForward: Bool) throws -> Prepared {
        let commit = try repository.commit(verdict.commit)
        verdict.head = commit.head
        return try settle(commit, &verdict, nonFastForward: nonFastForward)
    }

    /// `prepare` for a commit already read.
    private func settle(_ commit: CommitInfo, _ verdict: inout CommitVerdict, nonFastForward: Bool) throws -> Prepared {
        guard commit.parents.count <= 1 else {
            throw Rejection(
                .commitShape, "is a merge commit (\(commit.parents.count) parents); merges are not verifiable",
                hint: "rebase or squash the work with `dehub combine` instead of merging")
        }

        let parentTree = try commit.parents.first.map { parent in
            if let lastRead, lastRead.id == parent { return lastRead.tree }
            return try repository.tree(ofCommit: parent)
        }
        lastRead = (commit.id, commit.tree)
        let governingTree = parentTree ?? commit.tree
        let governing: GoverningConfig
        let (configDirectory, loaded) = try configs.loadWithIdentity(tree: governingTree)
        switch loaded {
        case .success(let g): governing = g
        case .failure(let error):
            throw Rejection(
                .config,
                "the governing config (in the \(parentTree == nil ? "commit's own" : "parent's") tree) is invalid: \(error.message)",
                hint: "fix \(Config.path) in a commit signed as the current rules require")
        }

        // No key (nothing cached) when the bound project cannot be worked out: the credential check says why.
        var cacheKey: VerdictKey?
        if cache != nil {
            cacheKey = try? verdictKey(
                commit, branch: verdict.branch, governingTree: governingTree, configDirectory: configDirectory,
                governing: governing, nonFastForward: nonFastForward)
        }
        return Prepared(commit: commit, parentTree: parentTree, governing: governing, cacheKey: cacheKey)
    }

    /// True (and the verdict marked cached) when the cache holds a pass for the key and the commit's own tree is
    /// there too: a commit whose objects are missing is never a hit.
    private func answerFromCache(_ facts: Prepared, _ verdict: inout CommitVerdict) throws -> Bool {
        guard let key = facts.cacheKey, let cache, cache.contains(key) else { return false }
        // The commit's own tree must be readable (the next commit's governing lookup then reads it from memory).
        _ = try configs.directory(ofTree: facts.commit.tree)
        verdict.cached = true
        return true
    }

    private func run(_ verdict: inout CommitVerdict, nonFastForward: Bool) throws {
        let prepared = try prepare(&verdict, nonFastForward: nonFastForward)
        if try answerFromCache(prepared, &verdict) { return }
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
        _ commit: CommitInfo, branch: String, governingTree: ObjectID, configDirectory: ObjectID?,
        governing: GoverningConfig, nonFastForward: Bool
    ) throws -> VerdictKey {
        // The same project the credentials are checked against.
        let project = governing.config.bindCredentials ? try boundProject(parents: commit.parents) : nil
        return VerdictKey(
            VerdictKey.Inputs(
                commit: commit.id, branch: branch, nonFastForward: nonFastForward, governingTree: governingTree,
                configDirectory: configDirectory, project: project, limits: limits))
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
