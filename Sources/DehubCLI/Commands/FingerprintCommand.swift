import ArgumentParser
import DehubCore
import DehubGit

struct FingerprintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fingerprint",
        abstract: "Print the fingerprint (base64) that a commit's payload and diff yield.",
        discussion: """
            For a credential commit, whose fingerprint belongs to another change, prints the fingerprint it carries. \
            With --signed-message, prints in hex the exact bytes the commit's credentials sign under the config of \
            its parent: the fingerprint, or the bound message when that config has bind_credentials: true \
            (docs/format.md §6.7).
            """)

    @ParentCommand var root: DehubCommand
    @Option(help: "The commit.") var rev: String = "HEAD"
    @Flag(help: "Print the bytes credentials on the commit sign (hex) instead of the fingerprint.") var signedMessage = false

    func run() async throws {
        try await ErrorPresenter.run {
            let repo = try root.repository.open()
            let id = try root.repository.resolve(rev, in: repo)
            let commit = try repo.commit(id)
            let payload: Payload
            do {
                payload = try CommitMessage.parse(commit.message).payload
            } catch {
                throw CLIError("\(id.short) is not a dehub commit: \(error)", status: .dataError)
            }
            let fingerprint: Fingerprint
            switch payload.body {
            case .change(let description):
                fingerprint = Fingerprint.change(description: description, files: try repo.changedFiles(of: commit))
            case .comment(let text):
                fingerprint = Fingerprint.comment(text)
            case .credential:
                fingerprint = payload.fingerprint
            }
            guard signedMessage else {
                Output.out(fingerprint.base64)
                return .ok
            }
            // The commit's credentials are judged by its parent's config (its own for a root commit), format §9.1.
            let parent = commit.parents.first
            let governingTree = try parent.map { try repo.tree(ofCommit: $0) } ?? commit.tree
            let governing = try GoverningConfigReader.load(repo: repo, tree: governingTree)
            let signed = try SignedMessageReader.forCommit(
                parent: parent, fingerprint: fingerprint, governing: governing, repo: repo)
            Output.out(signed.hex)
            if case .project(let project) = signed.binding {
                Output.err("bound to project \(project) (bind_credentials in the governing config)")
            }
            return .ok
        }
    }
}
