import ArgumentParser
import DehubCore
import DehubGit
import DehubVerification

struct CommitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit",
        abstract: "Make a signed dehub commit: a change, a comment or a credential.",
        subcommands: [Change.self, Comment.self, CredentialSubcommand.self])

    @ParentCommand var root: DehubCommand
    @OptionGroup var signing: SigningOptions

    func context() throws -> CommitContext {
        let repo = try root.repository.open()
        guard let branch = try repo.currentBranch() else {
            throw CLIError("HEAD is detached", hint: "switch to a branch first (git switch NAME)", status: .dataError)
        }
        let head = try repo.headCommit()
        let parentTree = try head.map { try repo.commit($0).tree }
        return CommitContext(repo: repo, branch: branch, head: head, parentTree: parentTree, signer: signing.signer)
    }

    struct Change: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Commit the staged changes as a change, fingerprinted and signed.")
        @ParentCommand var parent: CommitCommand
        @Option(help: "The change's description; its first line becomes the commit's head.") var descr: String

        func run() async throws {
            try await ErrorPresenter.run {
                let context = try parent.context()
                let tree = try context.repo.indexTree()
                let files = try context.repo.changedFiles(from: context.parentTree, to: tree)
                guard !files.isEmpty else {
                    throw CLIError(
                        "nothing to commit: no staged changes", hint: "stage changes with `git add` first", status: .dataError)
                }
                let fingerprint = Fingerprint.change(description: descr, files: files)
                return try await context.commit(tree: tree, body: .change(description: descr), fingerprint: fingerprint)
            }
        }
    }

    struct Comment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Commit a signed comment (changes no files).")
        @ParentCommand var parent: CommitCommand
        @Option(help: "The comment.") var comment: String

        func run() async throws {
            try await ErrorPresenter.run {
                let context = try parent.context()
                guard let tree = context.parentTree else {
                    throw CLIError("a comment needs a parent commit; the branch has none yet", status: .dataError)
                }
                return try await context.commit(tree: tree, body: .comment(comment), fingerprint: Fingerprint.comment(comment))
            }
        }
    }

    struct CredentialSubcommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "credential",
            abstract: "Commit a credential for one change commit, or for the combined change of START..END.")
        @ParentCommand var parent: CommitCommand
        @Option(help: "The change commit to accredit, or the first of a range.") var start: String
        @Option(help: "The last commit of the range (included).") var end: String?
        @Option(help: "The combined change's description (default: the last change's in the range).") var descr: String?

        func run() async throws {
            try await ErrorPresenter.run {
                let context = try parent.context()
                guard let tree = context.parentTree else {
                    throw CLIError("a credential needs a parent commit; the branch has none yet", status: .dataError)
                }
                let range = try CombinedChange.make(
                    repo: context.repo, start: try parent.root.repository.resolve(start, in: context.repo),
                    end: try end.map { try parent.root.repository.resolve($0, in: context.repo) }, description: descr)
                let body = Payload.Body.credential(
                    commits: range.commits.map(\.hex), changeDescription: end == nil ? nil : range.description)
                // The credential is for the commit `dehub combine` will make on the range's base, so it is bound to
                // the base's project: the same as this commit's, except for a range that starts at a root commit
                // (a project's bootstrap), whose combined commit will be a root (format §6.7).
                return try await context.commit(tree: tree, body: body, fingerprint: range.fingerprint, bindingParent: range.base)
            }
        }
    }
}

/// What a new commit on the checked-out branch needs: the repository, the branch, its tip and tree, and the signer.
struct CommitContext {
    let repo: GitRepository
    let branch: String
    let head: ObjectID?
    let parentTree: ObjectID?
    let signer: CredentialMaker.Signer

    func commit(tree: ObjectID, body: Payload.Body, fingerprint: Fingerprint) async throws -> ExitStatus {
        try await commit(tree: tree, body: body, fingerprint: fingerprint, bindingParent: head)
    }

    /// `bindingParent`: the parent of the commit the credential is for, whose project a bound credential names.
    func commit(
        tree: ObjectID, body: Payload.Body, fingerprint: Fingerprint, bindingParent: ObjectID?
    ) async throws -> ExitStatus {
        // The config that will govern the commit: its parent's, or its own for a root commit.
        let governing = try GoverningConfigReader.load(repo: repo, tree: parentTree ?? tree)
        let signed = try SignedMessageReader.forCommit(
            parent: bindingParent, fingerprint: fingerprint, governing: governing, repo: repo)
        let credential = try await CredentialMaker(repo: repo).make(signer, message: signed, governing: governing)
        var payload = Payload(body: body, fingerprint: fingerprint, credentials: [credential])
        let message = CommitMessage(head: CommitMessage.defaultHead(for: payload), payload: payload)
        payload = message.payload
        let id = try repo.createCommit(tree: tree, parents: head.map { [$0] } ?? [], message: try message.renderChecked())
        try repo.updateReference("refs/heads/\(branch)", to: id, expecting: head, message: "dehub commit: \(message.head)")
        Output.out("[\(TerminalText.safe(branch)) \(id.short)] \(TerminalText.safe(message.head))")
        return .ok
    }
}

enum GoverningConfigReader {
    static func load(repo: GitRepository, tree: ObjectID) throws -> GoverningConfig {
        switch try ConfigLoader(repository: repo).load(tree: tree) {
        case .success(let governing): return governing
        case .failure(let error):
            throw CLIError(error.message, hint: "fix \(Config.path) before committing", status: .dataError)
        }
    }
}

enum SignedMessageReader {
    /// What the credentials of a commit whose parent is `parent` (nil: a root commit) sign under `governing`, the
    /// config of that parent (format §6.7): the fingerprint, bound to the project when the config says so.
    static func forCommit(
        parent: ObjectID?, fingerprint: Fingerprint, governing: GoverningConfig, repo: GitRepository
    ) throws -> SignedMessage {
        do {
            return try SignedMessage.governed(by: governing.config, fingerprint: fingerprint) {
                try ProjectID.of(parents: parent.map { [$0] } ?? [], in: repo)
            }
        } catch {
            throw CLIError(
                "\(Config.path) binds credentials to the project, but the root commit of its history could not be read: \(error)",
                hint: "check the repository with git fsck", status: .ioError)
        }
    }
}
