import ArgumentParser
import DehubCore
import DehubGit
import DehubSignatures
import DehubVerification

struct CombineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "combine",
        abstract: "Squash a thread's commits into one change commit carrying every valid credential, onto a branch.",
        discussion: """
            Takes the commits START..END (both included), makes one change commit with END's tree on top of BRANCH, \
            carrying every credential in the range that is valid for the combined fingerprint, checks it under \
            BRANCH's rules, and moves BRANCH to it. START's parent must be BRANCH's tip (rebase the thread first).
            """)

    @ParentCommand var root: DehubCommand
    @Option(help: "The first commit of the thread to combine.") var start: String
    @Option(help: "The last commit (included).") var end: String
    @Option(help: "The branch to put the combined commit on.") var onto: String
    @Option(help: "The combined change's description (default: the last change's in the range).") var descr: String?
    @Flag(help: "Move the branch even when the combined commit does not verify under its rules.") var noVerify = false

    func run() async throws {
        try await ErrorPresenter.run {
            let repo = try root.repository.open()
            let startID = try root.repository.resolve(start, in: repo)
            let endID = try root.repository.resolve(end, in: repo)
            let ref = "refs/heads/\(onto)"
            let tip = try repo.reference(ref)
            let change = try CombinedChange.make(repo: repo, start: startID, end: endID, description: descr)
            guard change.base == tip else {
                throw CLIError(
                    "the thread starts from \(change.base?.short ?? "nothing") but \(onto) is at \(tip?.short ?? "nothing")",
                    hint: "rebase the thread onto \(onto) first (git rebase \(onto)), then combine again", status: .dataError)
            }
            let ontoIsCheckedOut = try !repo.isBare && repo.currentBranch() == onto
            if ontoIsCheckedOut, let baseTree = change.baseTree, try repo.indexTree() != baseTree {
                throw CLIError(
                    "\(onto) is checked out and has staged changes; combining would overwrite them",
                    hint: "commit or stash them, or switch to another branch first", status: .dataError)
            }
            let governing = try GoverningConfigReader.load(repo: repo, tree: change.baseTree ?? change.tree)
            // The combined commit's parent is the branch's tip: its config and its project decide what was signed.
            let signed = try SignedMessageReader.forCommit(
                parent: tip, fingerprint: change.fingerprint, governing: governing, repo: repo)
            let credentials = CredentialCollector.collect(
                from: change.payloads.compactMap(\.payload), message: signed, governing: governing)
            let payload = Payload(
                body: .change(description: change.description), fingerprint: change.fingerprint, credentials: credentials)
            let message = CommitMessage(head: CommitMessage.defaultHead(for: payload), payload: payload)
            let id = try repo.createCommit(
                tree: change.tree, parents: tip.map { [$0] } ?? [], message: try message.renderChecked())

            if !noVerify {
                let verdict = CommitVerifier(repository: repo, signatures: SignatureVerifier.shared)
                    .verify(id, branch: onto, nonFastForward: false)
                if !verdict.isVerified {
                    VerdictPresenter.explain(verdict).forEach(Output.err)
                    Output.err("dehub: \(onto) was not moved; the combined commit \(id.short) is left unreferenced")
                    return .notVerifiable
                }
            }
            try repo.updateReference(ref, to: id, expecting: tip, message: "dehub combine: \(message.head)")
            if ontoIsCheckedOut {
                do {
                    try repo.checkoutHead(force: false)  // safe: never overwrites local modifications
                } catch {
                    Output.err(
                        "warning: \(onto) moved, but the work tree could not be updated safely (\(error)); see `git status`")
                }
            }
            let accounts = Set(credentials.compactMap(\.account)).sorted().joined(separator: ", ")
            Output.out(
                "[\(TerminalText.safe(onto)) \(id.short)] \(TerminalText.safe(message.head)) (\(change.commits.count) commit(s) combined; credentials: \(accounts.isEmpty ? "none" : accounts))"
            )
            return .ok
        }
    }
}

/// Picks the credentials of a range that verify for a fingerprint, one per account and key.
enum CredentialCollector {
    static func collect(from payloads: [Payload], message: SignedMessage, governing: GoverningConfig) -> [Credential] {
        var kept: [Credential] = []
        var seen = Set<String>()
        for payload in payloads where payload.fingerprint == message.fingerprint {
            for credential in payload.credentials {
                let key: String
                switch credential {
                case .pgp(let c): key = "pgp:\(c.account ?? "anon"):\(c.pubKeyID)"
                case .ssh(let c): key = "ssh:\(c.account):\(c.pubKey.split(separator: " ").prefix(2).joined(separator: " "))"
                }
                guard !seen.contains(key) else { continue }
                let results = CredentialChecker(signatures: SignatureVerifier.shared)
                    .check([credential], message: message, governing: governing)
                if results.allSatisfy(\.isVerified) {
                    seen.insert(key)
                    kept.append(credential)
                }
            }
        }
        return kept
    }
}
