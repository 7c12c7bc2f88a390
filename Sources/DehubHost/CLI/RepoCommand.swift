import ArgumentParser

struct RepoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repo", abstract: "Manage repositories on this server (the same as the SSH admin commands).",
        subcommands: [Create.self, List.self, Delete.self, SetVisibility.self, Fork.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a bare repository guarded by the dehub hook.")
        @OptionGroup var data: DataOption
        @Argument(help: "The name, e.g. team/project (a trailing .git is optional).") var name: String
        @Flag(help: "Only admins, listed readers and members may see it.") var `private` = false
        @Option(help: "The dehub hook binary to install (default: `dehub` next to dehub-host, else on PATH).")
        var hook: String?

        func run() async throws {
            let directory = data.directory
            try directory.prepare()
            try HookInstaller(data: directory).installBinary(explicitSource: hook)
            let repo = try repoName(name)
            let config = try directory.loadConfig()
            try await RepoStore(data: directory).create(repo, isPrivate: `private`, config: config)
            print("created \(repo)\(`private` ? " (private)" : "") in \(RepoStore(data: directory).path(of: repo))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every repository.")
        @OptionGroup var data: DataOption

        func run() async throws {
            let store = RepoStore(data: data.directory)
            for name in store.list() { print("\(name)\(store.isPrivate(name) ? " (private)" : "")") }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a repository.")
        @OptionGroup var data: DataOption
        @Argument var name: String

        func run() async throws {
            let repo = try repoName(name)
            try RepoStore(data: data.directory).delete(repo)
            print("deleted \(repo)")
        }
    }

    struct SetVisibility: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-visibility", abstract: "Make a repository public or private.")
        @OptionGroup var data: DataOption
        @Argument var name: String
        @Argument(help: "public or private") var visibility: String

        func run() async throws {
            let repo = try repoName(name)
            guard visibility == "public" || visibility == "private" else {
                throw ValidationError("visibility must be public or private")
            }
            try RepoStore(data: data.directory).setPrivate(repo, visibility == "private")
            print("\(repo) is \(visibility)")
        }
    }
}

extension RepoCommand {
    struct Fork: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fork SRC to DST on this host (objects shared by a local clone, lineage recorded).")
        @OptionGroup var data: DataOption
        @Argument var source: String
        @Argument var destination: String
        @Flag(help: "Make the fork private (a fork of a private repository always is).") var `private` = false
        @Flag(help: "Start the fork empty, for new accounts: its admin pushes a new root commit (docs/format.md §14).")
        var newRoot = false

        func run() async throws {
            let commands = try federationCommands(data)
            print(
                try await commands.fork(
                    try repoName(source), to: try repoName(destination), isPrivate: `private`, newRoot: newRoot),
                terminator: "")
        }
    }
}

func repoName(_ raw: String) throws -> RepoName {
    switch RepoName.parse(raw) {
    case .success(let name): return name
    case .failure(let problem): throw HostError(.usage, "invalid repository name '\(raw)': \(problem)")
    }
}
