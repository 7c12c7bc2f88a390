import ArgumentParser
import DehubCore
import DehubEvents

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `dehub watch [--foreground] [REMOTE...]`: tells at once when a remote on a dehub host received verified
/// changes (git-annex's git-remote-daemon, configured entirely by .git/config).
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch remotes on a dehub host; fetch when they change, or speak git-remote-daemon's protocol.",
        discussion: """
            Without REMOTE, watches the remotes with `remote.NAME.dehubWatch = true`. The URL says the transport: \
            http(s) (the system's curl; a token in the URL is sent as Basic auth) or ssh (the system's ssh, or \
            GIT_SSH_COMMAND / core.sshCommand, so your agent, keys and known_hosts apply).

            Without --foreground it runs `git fetch REMOTE` when the remote changes, until stopped.
            With --foreground it writes CHANGED REMOTE REF..., STATUS REMOTE TEXT and ERROR REMOTE TEXT lines on \
            stdout, reads PAUSE, RESUME and PUSH REMOTE lines on stdin (anything else is ignored, with a note on \
            stderr), and exits when stdin closes.
            """)

    @ParentCommand var root: DehubCommand
    @Flag(help: "Speak the line protocol on stdin and stdout instead of fetching.") var foreground = false
    @Argument(help: "Remotes to watch (default: those with remote.NAME.dehubWatch = true).") var remotes: [String] = []

    func run() async throws {
        try await ErrorPresenter.run {
            let git = WatchGit(directory: root.repository.directory)
            var names = remotes
            if names.isEmpty { names = try await git.watchedRemotes() }
            guard !names.isEmpty else {
                throw CLIError(
                    "no remote to watch",
                    hint: "name one (`dehub watch origin`) or set `git config remote.origin.dehubWatch true`", status: .usage)
            }
            var options = EventClientOptions()
            options.sshCommand = await git.sshCommand(environment: Self.environment(["GIT_SSH_COMMAND", "GIT_SSH"]))
            var watchers: [(String, RefWatcher)] = []
            for name in names {
                guard WatchMessage.isRemoteName(name), let url = await git.url(of: name) else {
                    throw CLIError("no such remote: \(name)", hint: "`git remote -v` lists them", status: .usage)
                }
                switch EventEndpoint.parse(remoteURL: url) {
                case .failure(let error):
                    throw CLIError("remote \(name): \(error)", status: .usage)
                case .success(let endpoint):
                    watchers.append((name, RefWatcher(endpoint: endpoint, options: options)))
                }
            }
            let daemon = WatchDaemon(mode: foreground ? .foreground : .act, git: git, watchers: watchers)
            await daemon.start()
            if foreground {
                for await line in WatchInput.lines() { await daemon.handle(line: line) }
                await daemon.finish()
            } else {
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            }
            return .ok
        }
    }

    static func environment(_ names: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for name in names { if let value = getenv(name) { values[name] = String(cString: value) } }
        return values
    }
}
