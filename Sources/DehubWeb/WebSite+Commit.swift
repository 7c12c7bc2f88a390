import DehubCore
import DehubGit

extension WebSite {
    struct CommitModel {
        struct Parent {
            var short: String
            var url: String
        }
        struct PayloadView {
            var type: String
            var description: String?
            var comment: String?
            var commits: String?
            var fingerprint: String
        }
        struct CredentialView {
            var account: String
            var kind: String
            var key: String
            var verified: Bool
            var failure: String
        }
        struct Line {
            var kind: String
            var text: String
        }
        struct File {
            var path: String
            var status: String
            var binary: Bool
            var tooLarge: Bool
            var hasLines: Bool
            var lines: [Line]
        }
        var id: String
        var head: String
        var author: String
        var date: String
        var parents: [Parent]
        var treeURL: String
        var verdict: WebVerdict?
        var payload: PayloadView?
        var payloadError: String?
        var credentials: [CredentialView]
        var files: [File]
        var truncated: Bool
    }

    /// `/NAME/commit/OID`: the payload, each credential (account, key, verified or not), the verdict under the rules
    /// of the first branch that holds the commit (main first), and the diff against the first parent, cut short past
    /// the page's limits.
    func commit(_ context: PageContext, id hex: String, branch asked: String?) throws -> (String, String) {
        let repo = context.repo
        let (id, info) = try commit(hex, in: repo)
        let author = try repo.people(ofCommit: id).author
        var model = CommitModel(
            id: id.hex, head: info.head, author: Self.person(author), date: WebDate.format(author.seconds),
            parents: info.parents.map { .init(short: $0.short, url: context.paths.commit($0.hex)) },
            treeURL: context.paths.tree(id.hex), verdict: nil, payload: nil, payloadError: nil, credentials: [], files: [],
            truncated: false)

        var payload: Payload?
        do {
            payload = try CommitMessage.parse(info.message).payload
        } catch {
            model.payloadError = "Not a dehub commit: \(error.message)"
        }
        if let payload {
            var view = CommitModel.PayloadView(type: payload.type.rawValue, fingerprint: payload.fingerprint.description)
            switch payload.body {
            case .change(let description): view.description = description
            case .comment(let text): view.comment = text
            case .credential(let commits, let description):
                view.description = description
                view.commits = commits.joined(separator: ", ")
            case .tag: break
            }
            model.payload = view
        }

        var results: [Int: CredentialResult] = [:]
        var cachedPass = false
        // The branch a log or thread linked from (the question is then "would this branch take it", whether or not it
        // holds the commit: no ancestry walk); else main when it holds the commit, or the first branch that does.
        let named = try asked.flatMap { name in try repo.reference("refs/heads/" + name).map { (name: name, tip: $0) } }
        if let branch = try named ?? branchHolding(id, repo: repo) {
            let (verifier, cache) = self.verifier(context, anchor: branch.tip)
            let verdict = verifier.verify(id, branch: branch.name, nonFastForward: false)
            verdicts.save(cache, for: context.repository.name)
            model.verdict = WebVerdict(verdict, payload: payload)
            cachedPass = verdict.cached
            for result in verdict.credentials { results[result.index] = result }
        }
        model.credentials = (payload?.credentials ?? []).enumerated().map { index, credential in
            let result = results[index]
            var failure = ""
            if case .failed(let why)? = result?.outcome { failure = why }
            if result == nil, !cachedPass { failure = "not checked: the commit was refused before its credentials were" }
            return CommitModel.CredentialView(
                account: credential.account ?? "anonymous", kind: Self.kind(credential), key: Self.key(credential),
                verified: result?.isVerified ?? cachedPass, failure: failure)
        }

        let parentTree = try info.parents.first.map { try repo.tree(ofCommit: $0) }
        let patch = try repo.patch(
            from: parentTree, to: info.tree, maxFiles: limits.maxDiffFiles, maxBytes: limits.maxDiffBytes,
            maxFileBytes: limits.maxDiffFileBytes)
        model.truncated = patch.truncated
        model.files = patch.files.map { file in
            CommitModel.File(
                path: file.path, status: file.status, binary: file.isBinary, tooLarge: file.tooLarge,
                hasLines: !file.lines.isEmpty,
                lines: file.lines.map { line in
                    let kind: String
                    switch line.origin {
                    case "+": kind = "add"
                    case "-": kind = "del"
                    case "@": kind = "hunk"
                    default: kind = "ctx"
                    }
                    let marker = line.origin == "@" || line.origin == "\\" ? "" : String(line.origin)
                    return CommitModel.Line(kind: kind, text: marker + line.text)
                })
        }
        return ("\(info.head) · \(context.repository.name)", WebTemplates.render(model, "commit"))
    }

    /// The branch whose rules a commit page shows: main when it holds the commit, else the first other branch that
    /// does (at most `maxThreads` branches are asked); nil when none does.
    func branchHolding(_ id: ObjectID, repo: GitRepository) throws -> (name: String, tip: ObjectID)? {
        let heads = try repo.references().filter { $0.name.hasPrefix("refs/heads/") }
        let ordered = heads.filter { $0.name == "refs/heads/main" } + heads.filter { $0.name != "refs/heads/main" }
        for ref in ordered.prefix(limits.maxThreads + 1) {
            if try repo.isAncestor(id, of: ref.id) { return (String(ref.name.dropFirst("refs/heads/".count)), ref.id) }
        }
        return nil
    }

    static func kind(_ credential: Credential) -> String {
        switch credential {
        case .pgp: "pgp"
        case .ssh: "ssh"
        }
    }

    static func key(_ credential: Credential) -> String {
        switch credential {
        case .pgp(let c): c.pubKeyID
        case .ssh(let c): sshFingerprint(c.pubKey)
        }
    }
}
