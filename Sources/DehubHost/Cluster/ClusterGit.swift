import Subprocess

/// The git commands a cluster node runs on its own copies: fetch objects from another node, check an object is
/// there, move a ref with its old value, and run the dehub hook to verify an update. Every one of them runs with
/// hooks switched off (`core.hooksPath=/dev/null`): the node's own ref moves are not pushes, and must not go
/// through the `reference-transaction` hook back to the store.
enum ClusterGit {
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var succeeded: Bool { status == 0 }
    }

    static let noHooks = ["-c", "core.hooksPath=/dev/null"]

    static func run(
        _ arguments: [String], executable: String = "git", environment extra: [String: String] = [:], input: String = "",
        limit: Int = 1024 * 1024
    ) async throws -> Output {
        do {
            let environment = GitCommand.environment(extra)
            let target: Executable = executable.contains("/") ? .path(.init(executable)) : .name(executable)
            let result = try await Subprocess.run(
                target, arguments: Arguments(arguments), environment: environment, input: .string(input),
                output: .string(limit: limit), error: .string(limit: 64 * 1024))
            let status: Int32
            switch result.terminationStatus {
            case .exited(let code): status = code
            case .signaled(let signal): status = 128 + signal
            }
            return Output(status: status, stdout: result.standardOutput ?? "", stderr: result.standardError ?? "")
        } catch {
            throw HostError(.io, "cannot run \(executable) \(arguments.first ?? ""): \(error)")
        }
    }

    /// Whether the repo holds the object (and, through the fetch's connectivity check, what it reaches).
    static func hasObject(_ oid: String, in repo: String) async throws -> Bool {
        try await run(noHooks + ["--git-dir", repo, "cat-file", "-e", oid]).succeeded
    }

    /// Fetches the objects of `oids` (and what they reach) from `url` into the repo, without touching a ref, with
    /// every object checked (`fetch.fsckObjects`).
    static func fetch(_ oids: [String], from url: String, into repo: String, environment: [String: String] = [:]) async throws
        -> Output
    {
        try await run(
            noHooks + [
                "-c", "fetch.fsckObjects=true", "-c", "protocol.version=2", "-c",
                "http.extraHeader=\(ClusterProxy.proxiedHeader): fetch",
                "--git-dir", repo, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--no-auto-gc", url,
            ] + oids, environment: environment)
    }

    /// Moves `ref` from `old` to `new` (nil: absent), refused by git if it is not at `old` any more.
    static func updateRef(_ ref: String, old: String?, new: String?, in repo: String) async throws -> Output {
        let zero = String(repeating: "0", count: 40)
        if let new {
            return try await run(noHooks + ["--git-dir", repo, "update-ref", "-m", "dehub cluster", ref, new, old ?? zero])
        }
        return try await run(noHooks + ["--git-dir", repo, "update-ref", "-d", ref] + (old.map { [$0] } ?? []))
    }

    /// Runs the repo's own verification (`dehub hook pre-receive`, the same binary and rules as a push) on one
    /// update, with the pusher's role the writer's hook judged it with. Returns nil when it verifies, else the
    /// hook's reasons.
    static func verify(
        ref: String, old: String?, new: String?, role: String, hook: String, in repo: String
    ) async throws -> String? {
        let zero = String(repeating: "0", count: 40)
        var environment = ["GIT_DIR": repo]
        if !role.isEmpty { environment["DEHUB_PUSHER_ROLE"] = role }
        let output = try await run(
            ["hook", "pre-receive"], executable: hook, environment: environment, input: "\(old ?? zero) \(new ?? zero) \(ref)\n")
        if output.succeeded { return nil }
        let reasons = output.stderr.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return reasons.isEmpty ? "the hook refused it (exit \(output.status))" : reasons.joined(separator: " / ")
    }
}
