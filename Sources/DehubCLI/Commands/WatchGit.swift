import DehubCore
import DehubEvents
import Subprocess

/// The git commands `dehub watch` runs: reading the remotes' configuration, `git fetch`, `git push`.
struct WatchGit: Sendable {
    let directory: String

    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String]) async -> Result {
        do {
            let result = try await Subprocess.run(
                .name("git"), arguments: Arguments(["-C", directory] + arguments),
                environment: .inherit.updating(["GIT_TERMINAL_PROMPT": "0"]),
                output: .string(limit: 1024 * 1024), error: .string(limit: 256 * 1024))
            let status: Int32
            switch result.terminationStatus {
            case .exited(let code): status = code
            case .signaled(let signal): status = 128 + signal
            }
            return Result(status: status, stdout: result.standardOutput, stderr: result.standardError)
        } catch {
            return Result(status: 127, stdout: "", stderr: "cannot run git: \(error)")
        }
    }

    /// Remotes with `remote.NAME.dehubWatch = true`, in the config's order.
    func watchedRemotes() async throws -> [String] {
        let result = await run(["config", "--bool", "--get-regexp", #"^remote\..*\.dehubwatch$"#])
        guard result.status == 0 || result.status == 1 else {
            throw CLIError("git config failed: \(Self.lastLine(result.stderr))", status: .ioError)
        }
        var names: [String] = []
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[1] == "true" else { continue }
            let key = parts[0].dropFirst("remote.".count).dropLast(".dehubwatch".count)
            if !key.isEmpty, !names.contains(String(key)) { names.append(String(key)) }
        }
        return names
    }

    /// The remote's URL, as git would use it (`insteadOf` applied); nil for an unknown remote.
    func url(of remote: String) async -> String? {
        let result = await run(["remote", "get-url", "--", remote])
        guard result.status == 0 else { return nil }
        return result.stdout.split(separator: "\n").first.map(String.init)
    }

    /// The ssh command as git runs it: `GIT_SSH_COMMAND`, `core.sshCommand`, `GIT_SSH`, or `ssh`.
    func sshCommand(environment: [String: String]) async -> EventClientOptions.SSHCommand {
        if let command = environment["GIT_SSH_COMMAND"], !command.isEmpty { return .shell(command) }
        let configured = await run(["config", "--get", "core.sshCommand"])
        if configured.status == 0, let line = configured.stdout.split(separator: "\n").first, !line.isEmpty {
            return .shell(String(line))
        }
        if let program = environment["GIT_SSH"], !program.isEmpty { return .program(program) }
        return .program("ssh")
    }

    static func lastLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
    }
}
