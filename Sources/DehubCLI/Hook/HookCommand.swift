import ArgumentParser
import DehubCore
import DehubGit

struct HookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Run as a git hook: refuse pushes that the repository's rules do not allow.",
        discussion: """
            The same binary acts as the hook when invoked under the name pre-receive or pre-push, so it can be \
            copied or linked into a repository's hooks/ directory. Exit 0 accepts, 1 refuses; messages go to stderr, \
            which git shows to the pusher as `remote: ...`.
            """,
        subcommands: [PreReceive.self, PrePush.self, ReferenceTransactionHook.self])

    func run() async throws {
        throw ValidationError("say which hook to run: `dehub hook pre-receive` or `dehub hook pre-push REMOTE URL`")
    }

    struct PreReceive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pre-receive",
            abstract: "Server side: verify every ref update on stdin (`<old> <new> <ref>` lines).")

        func run() async throws {
            throw ExitCode(HookRunner.run(mode: .preReceive))
        }
    }

    struct PrePush: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pre-push",
            abstract: "Client side: verify what a push would send, before anything is sent.")
        @Argument(help: "The remote's name (as git passes it).") var remote: String = "origin"
        @Argument(help: "The remote's URL (as git passes it).") var url: String = ""

        func run() async throws {
            throw ExitCode(HookRunner.run(mode: .prePush(remote: remote)))
        }
    }
}
