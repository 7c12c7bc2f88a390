import ArgumentParser
import DehubCore

struct RemoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "Add remotes that fetch through git-remote-dehub.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a remote NAME that fetches verified history from URL and pushes to URL.",
            discussion: """
                Sets remote.NAME.url = dehub::URL (fetches verify through git-remote-dehub) and remote.NAME.pushurl \
                = URL (pushes go to the host as usual, judged by its hook). --root pins the root of trust, --mirror \
                adds sources to fetch from.
                """)

        @OptionGroup var repository: RepositoryOptions
        @Option(help: ArgumentHelp("The root commit of main to trust (40 hex digits).", valueName: "OID")) var root: String?
        @Option(help: ArgumentHelp("Another URL to fetch from (repeatable).", valueName: "URL")) var mirror: [String] = []
        @Argument(help: "The remote's name.") var name: String
        @Argument(help: "The repository's URL.") var url: String

        func validate() throws {
            if let root, ObjectID(hex: root) == nil { throw ValidationError("--root takes a 40-digit commit id") }
            if url.hasPrefix("dehub::") { throw ValidationError("give the URL without dehub::") }
        }

        func run() async throws {
            try await ErrorPresenter.run {
                let git = ["-C", repository.directory]
                var steps = [
                    git + ["remote", "add", "--", name, "dehub::" + url], git + ["config", "remote.\(name).pushurl", url],
                ]
                if let root { steps.append(git + ["config", "remote.\(name).dehubRoot", root.lowercased()]) }
                for mirror in mirror { steps.append(git + ["config", "--add", "remote.\(name).dehubMirror", mirror]) }
                for step in steps {
                    let status = try GitPassthrough.run(step, needsHelper: false)
                    guard status == 0 else { return .ioError }
                }
                return .ok
            }
        }
    }
}
