import Subprocess

/// Short git commands the host runs for itself (init, config, show), with bounded output.
enum GitCommand {
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var succeeded: Bool { status == 0 }
    }

    /// The environment every git the host spawns gets: no prompts, no pager, the host's own settings
    /// never taken from a user's global or system config (`GIT_CONFIG_NOSYSTEM`, `GIT_CONFIG_GLOBAL`).
    static func environment(_ extra: [String: String] = [:]) -> Environment {
        var values: [Environment.Key: String?] = [
            "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_DIR": nil, "GIT_WORK_TREE": nil, "GIT_OBJECT_DIRECTORY": nil, "GIT_ALTERNATE_OBJECT_DIRECTORIES": nil,
            "GIT_PROTOCOL": nil, "GIT_NAMESPACE": nil,
        ]
        for (key, value) in extra { values[Environment.Key(stringLiteral: key)] = value }
        return .inherit.updating(values)
    }

    /// `git ARGS` with the host's environment (plus `extra`), bounded output; a signal is reported as 128 + its number.
    static func run(_ arguments: [String], environment extra: [String: String] = [:], limit: Int = 1024 * 1024)
        async throws -> Output
    {
        do {
            let result = try await Subprocess.run(
                .name("git"), arguments: Arguments(arguments), environment: environment(extra),
                output: .string(limit: limit), error: .string(limit: 64 * 1024))
            let status: Int32
            switch result.terminationStatus {
            case .exited(let code): status = code
            case .signaled(let signal): status = 128 + signal
            }
            return Output(status: status, stdout: result.standardOutput, stderr: result.standardError)
        } catch {
            throw HostError(.io, "cannot run git \(arguments.first ?? ""): \(error)")
        }
    }

    /// Runs and throws with git's message when it fails.
    @discardableResult
    static func check(_ arguments: [String], limit: Int = 1024 * 1024) async throws -> String {
        let output = try await run(arguments, limit: limit)
        guard output.succeeded else {
            throw HostError(.io, "git \(arguments.joined(separator: " ")) failed: \(output.stderr.trimmingSpaces())")
        }
        return output.stdout
    }
}
