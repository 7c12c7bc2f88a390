import DehubCore
import DehubGit

/// Limits a server operator sets in git config; safe defaults.
struct HookLimits {
    /// `dehub.maxCommits`: commits verified in one push, all updates together.
    var maxCommits = 20_000
    /// `dehub.maxMessageBytes`: the largest commit message.
    var maxMessageBytes = 1 << 20
    /// `dehub.maxRefUpdates`: ref updates in one push.
    var maxRefUpdates = 1_000
    /// `dehub.timeoutSeconds`: the whole hook run; past it the push is refused.
    var timeoutSeconds = 300

    static func from(_ repo: GitRepository) throws -> HookLimits {
        var limits = HookLimits()
        limits.maxCommits = try value(repo, "dehub.maxCommits", default: limits.maxCommits, maximum: 10_000_000)
        // The format's own limit is a ceiling: an operator may lower it, never raise it (a commit the hook accepts
        // must verify everywhere).
        limits.maxMessageBytes = try value(
            repo, "dehub.maxMessageBytes", default: limits.maxMessageBytes, maximum: PayloadLimits.default.maxMessageBytes)
        limits.maxRefUpdates = try value(repo, "dehub.maxRefUpdates", default: limits.maxRefUpdates, maximum: 100_000)
        limits.timeoutSeconds = try value(repo, "dehub.timeoutSeconds", default: limits.timeoutSeconds, maximum: 86_400)
        return limits
    }

    private static func value(_ repo: GitRepository, _ key: String, default fallback: Int, maximum: Int) throws -> Int {
        guard let text = repo.configValue(key) else { return fallback }
        let multipliers: [Character: Int] = ["k": 1 << 10, "K": 1 << 10, "m": 1 << 20, "M": 1 << 20, "g": 1 << 30, "G": 1 << 30]
        var digits = Substring(text)
        var multiplier = 1
        if let last = digits.last, let m = multipliers[last] {
            multiplier = m
            digits = digits.dropLast()
        }
        let (product, overflow) = (Int(digits) ?? 0).multipliedReportingOverflow(by: multiplier)
        guard let n = Int(digits), n > 0, !overflow, product <= maximum else {
            throw CLIError("git config \(key) is '\(text)', expected a positive number of at most \(maximum)", status: .dataError)
        }
        return product
    }
}
