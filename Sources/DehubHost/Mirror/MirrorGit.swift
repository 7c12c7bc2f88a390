import Subprocess

/// git as a mirror runs it: the host's git environment (no user or system config), no prompts, non-interactive SSH,
/// its own process group, and a time limit past which the whole group is stopped (an upstream that stalls mid-fetch
/// cannot hold a sync forever).
enum MirrorGit {
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var succeeded: Bool { status == 0 }
    }

    /// Seconds one git of a sync may take (a fetch of a large history included).
    static let timeoutSeconds = 600

    static func run(
        _ arguments: [String], environment extra: [String: String] = [:], timeout: Int = timeoutSeconds
    ) async throws -> Output {
        var env = [
            "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o ConnectTimeout=20 -o ServerAliveInterval=15 -o ServerAliveCountMax=4",
            // git's own HTTP stall limit: under 1 byte/s for 60 s ends the fetch.
            "GIT_HTTP_LOW_SPEED_LIMIT": "1", "GIT_HTTP_LOW_SPEED_TIME": "60",
        ]
        env.merge(extra) { $1 }
        let variables = env
        return try await withThrowingTaskGroup(of: Output?.self) { group in
            group.addTask {
                var options = PlatformOptions()
                options.createSession = true
                options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(1))]
                let environment = GitCommand.environment(variables)
                do {
                    let result = try await Subprocess.run(
                        .name("git"), arguments: Arguments(arguments), environment: environment,
                        platformOptions: options, output: .string(limit: 4 * 1024 * 1024), error: .string(limit: 256 * 1024))
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
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let output = first else {
                throw HostError(.io, "git \(arguments.first ?? "") took longer than \(timeout) s and was stopped")
            }
            return output
        }
    }

    static func check(_ arguments: [String], environment: [String: String] = [:]) async throws -> String {
        let output = try await run(arguments, environment: environment)
        guard output.succeeded else {
            throw HostError(.io, "git \(arguments.first ?? "") failed: \(output.stderr.trimmingLines())")
        }
        return output.stdout
    }
}
