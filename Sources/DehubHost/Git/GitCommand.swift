import Subprocess

/// Short git commands the host runs for itself (init, config, show), with bounded output.
enum GitCommand {
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var succeeded: Bool { status == 0 }
    }

    /// `git ARGS` with the host's environment (plus `extra`), bounded output; a signal is reported as 128 + its number.
    static func run(_ arguments: [String], environment extra: [String: String] = [:], limit: Int = 1024 * 1024)
        async throws -> Output
    {
        do {
            let result = try await Subprocess.run(
                GitLaunch.executable, arguments: Arguments(arguments), environment: GitLaunch.environment(extra),
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
