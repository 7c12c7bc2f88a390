import ArgumentParser

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "HTTP tokens (Basic auth password), each bound to an SSH public key.",
        subcommands: [Create.self, List.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token; over HTTP it stands for KEY (an admin's, a reader's or a member's).")
        @OptionGroup var data: DataOption
        @Argument(help: "A name for the token.") var name: String
        @Option(help: "The OpenSSH public key file the token stands for.") var key: String

        func run() async throws {
            let directory = data.directory
            try directory.prepare()
            let identity = try AdminKeyFile.read(key).key
            let token = try TokenStore(path: directory.tokensFile).create(name: name, key: identity)
            print(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List token names and their keys.")
        @OptionGroup var data: DataOption

        func run() async throws {
            for entry in TokenStore(path: data.directory.tokensFile).entries() {
                print("\(entry.name)\t\(entry.key.fingerprint)")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token.")
        @OptionGroup var data: DataOption
        @Argument var name: String

        func run() async throws {
            try TokenStore(path: data.directory.tokensFile).delete(name: name)
            print("deleted token \(name)")
        }
    }
}
