import DehubCore
import DehubGit
import DehubVerification

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the hook end to end and returns its exit code. Fails closed: any error, limit or timeout refuses the push.
public enum HookRunner {
    public enum Mode {
        case preReceive
        case prePush(remote: String)
    }

    public static func run(mode: Mode) -> Int32 {
        let name: String
        switch mode {
        case .preReceive: name = "pre-receive"
        case .prePush: name = "pre-push"
        }
        do {
            let repo: GitRepository
            switch mode {
            case .preReceive: repo = try GitRepository.openFromEnvironment()  // sees the quarantined objects
            case .prePush: repo = try GitRepository.open(path: ".")
            }
            var roles = PusherRolePolicy.anyone
            if case .preReceive = mode {
                roles = .from(environmentValue: getenv(PusherRole.environmentVariable).map { String(cString: $0) })
            }
            var limits = try HookLimits.from(repo)
            if roles.isStranger { limits = limits.forStrangers }
            HookTimeout.arm(seconds: limits.timeoutSeconds, setting: limits.timeoutKey)
            let maxCommitObjectBytes = limits.maxCommitObjectBytes
            repo.maxCommitObjectBytes = maxCommitObjectBytes
            let input = try StandardInput.readAll(limit: limits.maxRefUpdates * 2_200)
            let updates: [RefUpdate]
            let side: PushVerifier.Side
            switch mode {
            case .preReceive:
                updates = try RefUpdateParser.preReceive(input, maxLines: limits.maxRefUpdates)
                side = .server
            case .prePush(let remote):
                updates = try RefUpdateParser.prePush(input, maxLines: limits.maxRefUpdates)
                side = .client(remote: remote)
            }
            guard !updates.isEmpty else { return 0 }
            let gitDir = repo.gitDirectory
            let open: @Sendable () throws -> GitRepository
            switch mode {
            case .preReceive: open = { try GitRepository.openFromEnvironment().limitingCommits(to: maxCommitObjectBytes) }
            case .prePush: open = { try GitRepository.open(path: gitDir).limitingCommits(to: maxCommitObjectBytes) }
            }
            var verifier = PushVerifier(repo: repo, open: open, roles: roles, limits: limits, side: side)
            if case .preReceive = mode, getenv("GIT_QUARANTINE_PATH") != nil {
                // Opened by path, not from the environment: the objects as they were before the push.
                verifier.before = try GitRepository.open(path: gitDir)
            }
            let outcome = try verifier.verify(updates)
            if outcome.isAccepted {
                if case .preReceive = mode {
                    Output.err("dehub: \(outcome.checkedCommits) commit(s) verified")
                    for tag in outcome.tags {
                        Output.err(
                            "dehub: release tag '\(TerminalText.safe(tag.name))' verified (credentials of \(tag.verifiedAccounts.joined(separator: ", ")))"
                        )
                    }
                }
                return 0
            }
            PushReport.print(outcome, updates: updates)
            return 1
        } catch let error as CLIError {
            Output.err("dehub: push refused: \(error.message)")
            if let hint = error.hint { Output.err("dehub: next: \(hint)") }
            return 1
        } catch let error as VerificationError {
            Output.err("dehub: push refused: \(error.message)")
            if let hint = error.hint { Output.err("dehub: next: \(hint)") }
            return 1
        } catch let error as RefUpdateParser.Malformed {
            Output.err("dehub: push refused: \(error) (is dehub installed as the \(name) hook?)")
            return 1
        } catch let error as GitError {
            Output.err("dehub: push refused: the repository could not be read: \(error.message)")
            return 1
        } catch {
            Output.err("dehub: push refused: internal error: \(error)")
            return 1
        }
    }
}

extension GitRepository {
    fileprivate func limitingCommits(to bytes: Int) -> GitRepository {
        maxCommitObjectBytes = bytes
        return self
    }
}

/// Past the time limit, the hook refuses the push and exits at once.
enum HookTimeout {
    /// The message, made before the alarm is armed: the signal handler only writes it.
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<CChar>?

    static func arm(seconds: Int, setting: String) {
        #if canImport(Glibc)
            message = strdup("dehub: push refused: the hook ran out of time (git config \(setting))\n")
            signal(SIGALRM) { _ in
                if let text = HookTimeout.message { _ = Glibc.write(2, text, strlen(text)) }
                _exit(1)
            }
            alarm(UInt32(clamping: seconds))
        #endif
    }
}

enum StandardInput {
    static func readAll(limit: Int) throws -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError("could not read the hook's input", status: .ioError)
            }
            if n == 0 { break }
            bytes += buffer[0..<n]
            guard bytes.count <= limit else {
                throw CLIError("the hook's input is larger than \(limit) bytes", status: .notVerifiable)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIError("the hook's input is not UTF-8", status: .notVerifiable)
        }
        return text
    }
}
