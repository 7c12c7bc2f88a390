import ArgumentParser
import DehubCore
import DehubGit

struct FingerprintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fingerprint",
        abstract: "Print the fingerprint (base64) that a commit's payload and diff yield.",
        discussion: "For a credential commit, whose fingerprint belongs to another change, prints the fingerprint it carries.")

    @ParentCommand var root: DehubCommand
    @Option(help: "The commit.") var rev: String = "HEAD"

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
            switch payload.body {
            case .change(let description):
                Output.out(Fingerprint.change(description: description, files: try repo.changedFiles(of: commit)).base64)
            case .comment(let text):
                Output.out(Fingerprint.comment(text).base64)
            case .credential:
                Output.out(payload.fingerprint.base64)
            }
            return .ok
        }
    }
}
