import DehubCore
import DehubVerification
import Subprocess

/// Runs git on one repository given by path, never on the repository of the environment: when the caller is itself
/// run by git (a remote helper, a hook), `GIT_DIR` and its kin point at the caller's repository and are removed.
public struct GitTool: Sendable {
    /// The result of one git run.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var succeeded: Bool { status == 0 }

        /// git's last message line, for a report (`fatal: ...`), escaped for a terminal.
        public var lastMessage: String {
            let lines = stderr.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
            return lines.last.map(TerminalText.safe) ?? "git exited with status \(status)"
        }
    }

    /// The variables git sets for the repository it runs in (its `local_repo_env`), which must not leak into a git
    /// run on another repository.
    static let repositoryVariables = [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_INDEX_FILE",
        "GIT_COMMON_DIR", "GIT_PREFIX", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
        "GIT_IMPLICIT_WORK_TREE", "GIT_GRAFT_FILE", "GIT_NO_REPLACE_OBJECTS", "GIT_REPLACE_REF_BASE",
        "GIT_SHALLOW_FILE", "GIT_QUARANTINE_PATH", "GIT_NAMESPACE", "GIT_PROTOCOL", "GIT_INTERNAL_SUPER_PREFIX",
    ]

    /// Extra variables for every run (a nil value removes one), e.g. `GIT_CONFIG_GLOBAL` for a host.
    public var environment: [String: String?]

    public init(environment: [String: String?] = [:]) { self.environment = environment }

    /// Runs `git --git-dir=GITDIR ARGUMENTS` (no `--git-dir` when `gitDir` is nil).
    public func run(_ arguments: [String], gitDir: String?, input: [UInt8] = []) async throws -> Output {
        var values: [Environment.Key: String?] = ["GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"]
        for key in Self.repositoryVariables { values[Environment.Key(stringLiteral: key)] = .some(nil) }
        for (key, value) in environment { values[Environment.Key(stringLiteral: key)] = value }
        let full = (gitDir.map { ["--git-dir=\($0)"] } ?? []) + arguments
        do {
            let result = try await Subprocess.run(
                .name("git"), arguments: Arguments(full), environment: .inherit.updating(values), input: .array(input),
                output: .string(limit: 64 << 20), error: .string(limit: 1 << 20))
            let status: Int32
            switch result.terminationStatus {
            case .exited(let code): status = code
            case .signaled(let signal): status = 128 + signal
            }
            return Output(status: status, stdout: result.standardOutput, stderr: result.standardError)
        } catch {
            throw ReplicationError("cannot run git \(arguments.first ?? ""): \(error)")
        }
    }

    /// Runs and throws `ReplicationError` with git's message when it fails.
    @discardableResult
    public func check(_ arguments: [String], gitDir: String?, input: [UInt8] = []) async throws -> String {
        let output = try await run(arguments, gitDir: gitDir, input: input)
        guard output.succeeded else {
            throw ReplicationError("git \(arguments.first ?? "") failed: \(output.lastMessage)")
        }
        return output.stdout
    }
}
