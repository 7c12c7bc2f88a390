import ArgumentParser
import DehubCore
import Foundation

/// `dehub-host`: the root command. Every error goes through `present`, which prints it and picks the
/// exit code from DehubCore's `ExitStatus` table.
public struct DehubHostCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dehub-host",
        abstract: "A small git host for dehub projects: embedded SSH and smart HTTP, every repo guarded by the dehub hook.",
        discussion: ExitStatus.helpText(ExitStatus.hostStatuses),
        subcommands: [
            ServeCommand.self, RepoCommand.self, MirrorCommand.self, TokenCommand.self, AuthorizedKeysCommand.self,
            ShellCommand.self, ClusterCommand.self,
        ])

    public init() {}

    /// Runs the command line and exits with the presented error's code.
    public static func runMain(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let error as HostError {
            present(error)
        } catch {
            exit(withError: error)
        }
    }

    static func present(_ error: HostError) -> Never {
        FileHandle.standardError.write(Data("dehub-host: \(error.message)\n".utf8))
        if let hint = error.hint { FileHandle.standardError.write(Data("hint: \(hint)\n".utf8)) }
        Foundation.exit(error.exitCode)
    }
}

/// `--data DIR`, shared by every subcommand.
struct DataOption: ParsableArguments {
    @Option(name: .long, help: "The data directory (repos, keys, settings).")
    var data: String = "./dehub-data"

    var directory: DataDirectory { DataDirectory(data) }
}
