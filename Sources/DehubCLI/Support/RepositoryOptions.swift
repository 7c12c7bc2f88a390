import ArgumentParser
import DehubCore
import DehubGit

/// `-C PATH`, as git has it.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if dehub was started in PATH.", valueName: "PATH"))
    var directory: String = "."

    func open() throws -> GitRepository {
        do {
            return try GitRepository.open(path: directory)
        } catch let error as GitError {
            throw CLIError(
                "not a git repository: \(directory) (\(error.message))",
                hint: "run inside a repository, pass -C PATH, or create one with `dehub init`", status: .noInput)
        }
    }

    func resolve(_ revision: String, in repo: GitRepository) throws -> ObjectID {
        do {
            return try repo.resolve(revision)
        } catch let error as GitError {
            throw CLIError("unknown revision '\(revision)': \(error.message)", status: .noInput)
        }
    }
}
