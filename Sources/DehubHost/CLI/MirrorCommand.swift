import ArgumentParser

struct MirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Read-only mirrors that serve only what verifies (the same as the SSH admin commands).",
        subcommands: [Add.self, Sync.self, Status.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make NAME a read-only mirror of URL, and sync it once.")
        @OptionGroup var data: DataOption
        @Argument(help: "The mirror's name on this host.") var name: String
        @Option(help: "The upstream: an http(s)://, ssh://, git:// or file:// URL.") var from: String
        @Option(help: "The root of trust (the upstream's root commit of main); default: taken on the first sync.")
        var root: String?
        @Flag(help: "Only admins, listed readers and members may see it.") var `private` = false

        func run() async throws {
            let commands = try federationCommands(data)
            print(try await commands.addMirror(try repoName(name), from: from, root: root, isPrivate: `private`), terminator: "")
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sync a mirror now.")
        @OptionGroup var data: DataOption
        @Argument var name: String

        func run() async throws {
            print(try await federationCommands(data).sync(try repoName(name)), terminator: "")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every mirror's last sync, per ref.")
        @OptionGroup var data: DataOption
        @Flag(help: "JSON for machines.") var json = false

        func run() async throws {
            print(try federationCommands(data).status(json: json), terminator: "")
        }
    }
}

/// The fork and mirror commands on the server's command line (clone URLs from `ssh_url_base`/`http_url_base`).
func federationCommands(_ data: DataOption) throws -> FederationCommands {
    let directory = data.directory
    try directory.prepare()
    let config = try directory.loadConfig()
    return FederationCommands(
        store: RepoStore(data: directory), config: config,
        urls: CloneURLs(config: config, sshAddress: nil, httpAddress: nil))
}
