import ArgumentParser
import DehubGit

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a git repository whose initial branch is main.")

    @ParentCommand var root: DehubCommand
    @Argument(help: "Where to create it (default: -C PATH or the current directory).") var path: String?
    @Flag(help: "Create a bare repository (for a server).") var bare = false

    func run() async throws {
        try await ErrorPresenter.run {
            let target =
                path.map { $0.hasPrefix("/") || root.repository.directory == "." ? $0 : root.repository.directory + "/" + $0 }
                ?? root.repository.directory
            let repo = try GitRepository.initialize(path: target, bare: bare)
            Output.out("Initialized empty \(bare ? "bare " : "")dehub repository in \(repo.gitDirectory) (branch main)")
            if !bare {
                Output.out(
                    "next: write .dehub/config.yml (bind_credentials: true, accounts, access controls: docs/format.md §7), "
                        + "`git add` it, then `dehub commit --as ACCOUNT change --descr ...`")
            }
            return .ok
        }
    }
}
