import DehubCore
import DehubGit
import DehubSignatures
import DehubVerification

/// Release tags in a local repository (format §13): reads, signs, writes them, and moves their credentials through
/// proposal threads (credential commits over the tag's fingerprint, §13.4). `main` is main's tip: its config
/// governs every tag, and every target must be one of its commits.
struct ReleaseTags {
    let repo: GitRepository
    let main: ObjectID

    /// A tag being put together: what it is about and the credentials collected so far.
    struct Draft {
        var fields: TagFields
        var credentials: [Credential] = []
    }

    var governing: GoverningConfig {
        get throws { try GoverningConfigReader.load(repo: repo, tree: try repo.tree(ofCommit: main)) }
    }

    /// What a tag's credentials sign: its fingerprint, bound to the project (the root of the target's history) when
    /// the config at main's tip says so (§6.7).
    func signedMessage(_ fields: TagFields, governing: GoverningConfig) throws -> SignedMessage {
        do {
            return try SignedMessage.governed(by: governing.config, fingerprint: fields.fingerprint) {
                try ProjectID.ofHistory(of: fields.target, in: repo)
            }
        } catch {
            throw CLIError(
                "\(Config.path) binds credentials to the project, but the root commit of \(fields.target.short) could not be read: \(error)",
                hint: "check the repository with git fsck", status: .ioError)
        }
    }

    /// The local tag `name` as a draft; nil when there is none.
    func localDraft(name: String) throws -> Draft? {
        guard let id = try repo.referenceTarget("refs/tags/\(name)") else { return nil }
        guard
            let tag = try repo.annotatedTag(
                id, limit: TagVerifier(repository: repo, signatures: SignatureVerifier.shared).maxObjectBytes)
        else {
            throw CLIError(
                "tag '\(name)' is a lightweight tag, not a release tag",
                hint: "delete it (git tag -d \(name)) and use `dehub tag`", status: .dataError)
        }
        let payload: Payload
        do {
            payload = try CommitMessage.parse(tag.message).payload
        } catch {
            throw CLIError("tag '\(name)' is not a dehub release tag: \(error)", status: .dataError)
        }
        guard case .tag(let fields) = payload.body, fields.name == name, fields.target == tag.target,
            fields.fingerprint == payload.fingerprint
        else {
            throw CLIError("tag '\(name)' is not a valid dehub release tag (its payload does not match it)", status: .dataError)
        }
        return Draft(fields: fields, credentials: payload.credentials)
    }

    /// Adds a credential of `signer` over the draft's signed message.
    func sign(_ draft: inout Draft, as signer: CredentialMaker.Signer) async throws {
        try checkTarget(draft.fields)
        let governing = try self.governing
        let message = try signedMessage(draft.fields, governing: governing)
        if case .account(let account, _) = signer, draft.credentials.contains(where: { $0.account == account }) {
            Output.err("dehub: tag '\(draft.fields.name)' already carries a credential of '\(account)'; not signing again")
            return
        }
        draft.credentials.append(
            try await CredentialMaker(repo: repo).make(
                signer, message: message, governing: governing,
                governs: "the config that governs release tags (\(Config.path) at main's tip, \(main.short))"))
    }

    /// The draft of tag `name` from the proposal thread at `tip` (the commits not on main): the first credential
    /// commit over the fingerprint of `name`, a target and a description gives the tag (`rev` and `description`
    /// must agree when given); every credential over that fingerprint that verifies is taken, with those of the
    /// local tag when it is the same tag.
    func collect(name: String, from tip: ObjectID, rev: String?, description: String?) throws -> Draft {
        let wanted = try rev.map { try repo.resolve($0) }
        var proposals: [(fields: TagFields, credentials: [Credential])] = []
        for id in try repo.commits(from: tip, excluding: [main]) {
            guard let payload = try? CommitMessage.parse(try repo.commit(id).message).payload,
                case .credential(let commits, let text?) = payload.body, commits.count == 1,
                let target = ObjectID(hex: commits[0])
            else { continue }
            let candidate = TagFields(name: name, target: target, description: text)
            guard candidate.fingerprint == payload.fingerprint, wanted == nil || wanted == target,
                description == nil || description == text
            else { continue }
            proposals.append((candidate, payload.credentials))
        }
        // Several forms of one tag on a thread (another target or description) are never resolved silently: the
        // signer picks the one they mean to sign.
        var forms: [TagFields] = []
        for proposal in proposals where !forms.contains(proposal.fields) { forms.append(proposal.fields) }
        guard forms.count <= 1 else {
            let listed = forms.map {
                "target \($0.target.short), description '\(TerminalText.safe(String($0.description.prefix { $0 != "\n" })))'"
            }
            throw CLIError(
                "\(tip.short) proposes tag '\(name)' in \(forms.count) different forms: " + listed.joined(separator: "; "),
                hint: "pick the one you mean to sign with --rev (and --descr)", status: .dataError)
        }
        let fields = forms.first
        var found = proposals.flatMap(\.credentials)
        guard let fields else {
            throw CLIError(
                "no proposal of tag '\(name)' on \(tip.short) (a credential commit over the tag's fingerprint, not on main)",
                hint:
                    "the proposer runs `dehub tag \(name) --propose BRANCH` and pushes BRANCH; fetch it and pass --from origin/BRANCH",
                status: .noInput)
        }
        if let local = try? localDraft(name: name) {
            if local.fields == fields {
                found = local.credentials + found
            } else {
                Output.err(
                    "dehub: the local tag '\(name)' is another tag (target \(local.fields.target.short)); it is replaced by the proposal's"
                )
            }
        }
        let governing = try self.governing
        let message = try signedMessage(fields, governing: governing)
        var draft = Draft(fields: fields)
        for credential in found where !draft.credentials.contains(credential) {
            let result = CredentialChecker(signatures: SignatureVerifier.shared).check(
                [credential], message: message, governing: governing)
            if result.first?.isVerified == true {
                draft.credentials.append(credential)
            } else {
                Output.err(
                    "dehub: left out a credential of '\(credential.account ?? "anonymous")' that does not verify under the config at main"
                )
            }
        }
        return draft
    }

    /// Writes the draft as the local annotated tag object `refs/tags/NAME` (replacing a local one) and says whether
    /// the rules accept it yet.
    func write(_ draft: Draft) throws -> ExitStatus {
        try checkTarget(draft.fields)
        let name = draft.fields.name
        let payload = Payload(body: .tag(draft.fields), fingerprint: draft.fields.fingerprint, credentials: draft.credentials)
        let head = CommitMessage.defaultHead(for: payload)
        let message = try CommitMessage(head: head, payload: payload).renderChecked()
        let id = try repo.createTagObject(name: name, target: draft.fields.target, message: message)
        try repo.forceUpdateReference("refs/tags/\(name)", to: id, message: "dehub tag \(name)")
        let accounts = draft.credentials.map { $0.account ?? "anonymous" }
        Output.out(
            "[tag \(TerminalText.safe(name)) \(id.short)] \(TerminalText.safe(head)) (target \(draft.fields.target.short); "
                + "credentials: \(accounts.joined(separator: ", ")))")
        let verdict = TagVerifier(repository: repo, signatures: SignatureVerifier.shared).verify(
            name: name, object: id, rulesAt: main, mainAfter: main)
        if let rejection = verdict.rejection {
            Output.err("dehub: not accepted yet (\(rejection.check.rawValue)): \(TerminalText.safe(rejection.reason))")
        } else {
            Output.err("dehub: the rules at main accept it: git push origin refs/tags/\(TerminalText.safe(name))")
        }
        return .ok
    }

    /// Records the local tag's credentials as a credential commit on `branch` (from main's tip when it is new), so
    /// that they travel to the other signers through a thread, which takes any signed commit (§13.4).
    func propose(name: String, on branch: String) throws -> ExitStatus {
        guard let draft = try localDraft(name: name) else {
            throw CLIError(
                "there is no local tag '\(name)'", hint: "create it with `dehub tag \(name) --as ACCOUNT`", status: .noInput)
        }
        guard !draft.credentials.isEmpty else {
            throw CLIError("tag '\(name)' carries no credential to propose", status: .dataError)
        }
        let ref = "refs/heads/\(branch)"
        let old = try repo.reference(ref)
        let parent = old ?? main
        let payload = Payload(
            body: .credential(commits: [draft.fields.target.hex], changeDescription: draft.fields.description),
            fingerprint: draft.fields.fingerprint, credentials: draft.credentials)
        var accounts: [String] = []
        for account in draft.credentials.map({ $0.account ?? "anonymous" }) where !accounts.contains(account) {
            accounts.append(account)
        }
        let head = "Release \(name): credentials of \(accounts.joined(separator: ", "))"
        let message = try CommitMessage(head: head, payload: payload).renderChecked()
        let id = try repo.createCommit(tree: try repo.tree(ofCommit: parent), parents: [parent], message: message)
        try repo.updateReference(ref, to: id, expecting: old, message: "dehub tag \(name) --propose")
        Output.out("[\(TerminalText.safe(branch)) \(id.short)] \(TerminalText.safe(head))")
        Output.err(
            "dehub: push it (git push origin \(TerminalText.safe(branch))); each signer runs `dehub tag \(TerminalText.safe(name)) --from origin/\(TerminalText.safe(branch)) --as ACCOUNT`"
        )
        return .ok
    }

    private func checkTarget(_ fields: TagFields) throws {
        guard try repo.isAncestor(fields.target, of: main) else {
            throw CLIError(
                "\(fields.target.short) is not a commit of main (\(main.short)): a release tags verified history",
                hint: "tag a commit of main, or pass --main REV for main's tip as the remote has it", status: .dataError)
        }
    }
}
