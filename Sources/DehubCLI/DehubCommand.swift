import ArgumentParser
import DehubCore

public struct DehubCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dehub",
        abstract: "Typed, signed commits and in-repo access rules for git.",
        discussion: ExitStatus.helpText(ExitStatus.commandStatuses),
        version: DehubVersion.string,
        subcommands: [
            InitCommand.self, CommitCommand.self, CombineCommand.self, TagCommand.self, VerifyCommand.self,
            FingerprintCommand.self,
            HookCommand.self, InstallHookCommand.self, CloneCommand.self, RemoteCommand.self, WatchCommand.self,
        ])

    @OptionGroup var repository: RepositoryOptions

    public init() {}
}

public enum DehubVersion {
    public static let string = "0.1.0"
}

/// Parses the command line and runs the chosen command (async commands included).
public enum DehubMain {
    public static func main() async -> Never {
        do {
            var command = try DehubCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            DehubCommand.exit()
        } catch {
            DehubCommand.exit(withError: error)
        }
    }
}
