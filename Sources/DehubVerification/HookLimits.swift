import DehubCore
import DehubGit

/// Limits a server operator sets in git config; safe defaults.
public struct HookLimits: Equatable, Sendable {
    /// `dehub.maxCommits`: commits verified in one push, all updates together.
    public var maxCommits = 20_000
    /// `dehub.maxMessageBytes`: the largest commit message.
    public var maxMessageBytes = 1 << 20
    /// `dehub.maxRefUpdates`: ref updates in one push.
    public var maxRefUpdates = 1_000
    /// `dehub.timeoutSeconds`: the whole hook run; past it the push is refused.
    public var timeoutSeconds = 300
    /// `dehub.strangerMaxCommits`: `maxCommits` for a pusher the host calls a stranger (`DEHUB_PUSHER_ROLE` other
    /// than admin or member).
    public var strangerMaxCommits = 1_000
    /// `dehub.strangerTimeoutSeconds`: `timeoutSeconds` for a stranger.
    public var strangerTimeoutSeconds = 30

    /// The largest commit object read: the message limit plus room for the headers. Larger commits are refused from
    /// their object header, without being read.
    public var maxCommitObjectBytes: Int { maxMessageBytes + GitRepository.commitHeaderAllowance }

    /// The git config settings that set `maxCommits` and `timeoutSeconds`, for messages.
    public var maxCommitsKey = "dehub.maxCommits"
    public var timeoutKey = "dehub.timeoutSeconds"

    /// The limits for a stranger: the lower of each pair.
    public var forStrangers: HookLimits {
        var limits = self
        if strangerMaxCommits < maxCommits {
            limits.maxCommits = strangerMaxCommits
            limits.maxCommitsKey = "dehub.strangerMaxCommits"
        }
        if strangerTimeoutSeconds < timeoutSeconds {
            limits.timeoutSeconds = strangerTimeoutSeconds
            limits.timeoutKey = "dehub.strangerTimeoutSeconds"
        }
        return limits
    }

    /// The defaults.
    public init() {}

    /// The limits set in `repo`'s git config (`dehub.*`), the defaults for those not set. Throws `VerificationError`
    /// for a value that is not a positive number within its bound.
    public static func from(_ repo: GitRepository) throws -> HookLimits {
        var limits = HookLimits()
        func read(_ key: String, _ fallback: Int, maximum: Int) throws -> Int {
            guard let text = repo.configValue(key) else { return fallback }
            return try parse(text, key: key, maximum: maximum)
        }
        limits.maxCommits = try read("dehub.maxCommits", limits.maxCommits, maximum: 10_000_000)
        // The format's own limit is a ceiling: an operator may lower it, never raise it (a commit the hook accepts
        // must verify everywhere).
        limits.maxMessageBytes = try read(
            "dehub.maxMessageBytes", limits.maxMessageBytes, maximum: PayloadLimits.default.maxMessageBytes)
        limits.maxRefUpdates = try read("dehub.maxRefUpdates", limits.maxRefUpdates, maximum: 100_000)
        limits.timeoutSeconds = try read("dehub.timeoutSeconds", limits.timeoutSeconds, maximum: 86_400)
        limits.strangerMaxCommits = try read("dehub.strangerMaxCommits", limits.strangerMaxCommits, maximum: 10_000_000)
        limits.strangerTimeoutSeconds = try read("dehub.strangerTimeoutSeconds", limits.strangerTimeoutSeconds, maximum: 86_400)
        return limits
    }

    /// A positive whole number with an optional k/m/g suffix (powers of 1024), at most `maximum`.
    public static func parse(_ text: String, key: String, maximum: Int) throws(VerificationError) -> Int {
        let multipliers: [Character: Int] = ["k": 1 << 10, "K": 1 << 10, "m": 1 << 20, "M": 1 << 20, "g": 1 << 30, "G": 1 << 30]
        var digits = Substring(text)
        var multiplier = 1
        if let last = digits.last, let m = multipliers[last] {
            multiplier = m
            digits = digits.dropLast()
        }
        let (product, overflow) = (Int(digits) ?? 0).multipliedReportingOverflow(by: multiplier)
        guard let n = Int(digits), n > 0, !overflow, product <= maximum else {
            throw VerificationError(
                "git config \(key) is '\(TerminalText.safe(String(text.prefix(64))))', expected a positive number of at most \(maximum)",
                status: .dataError)
        }
        return product
    }
}
