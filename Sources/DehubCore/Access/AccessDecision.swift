/// The facts of one commit (or of one release tag: `tag` is set) that access controls look at.
public struct CommitFacts: Equatable, Sendable {
    public var payloadType: PayloadType
    /// The short branch name being updated (`main`, not `refs/heads/main`); empty for a tag.
    public var branch: String
    /// The short name of the release tag being pushed (`v1.0`); nil for a commit.
    public var tag: String? = nil
    public var changedPaths: [String]
    public var nonFastForward: Bool
    /// Accounts with at least one verified credential on the commit.
    public var verifiedAccounts: Set<String>

    public init(
        payloadType: PayloadType, branch: String, changedPaths: [String], nonFastForward: Bool, verifiedAccounts: Set<String>
    ) {
        self.payloadType = payloadType
        self.branch = branch
        self.changedPaths = changedPaths
        self.nonFastForward = nonFastForward
        self.verifiedAccounts = verifiedAccounts
    }

    /// The facts of a release tag (format §13.3): no branch, no files, never a non-fast-forward (tags never move).
    public static func tag(_ name: String, verifiedAccounts: Set<String>) -> CommitFacts {
        var facts = CommitFacts(
            payloadType: .tag, branch: "", changedPaths: [], nonFastForward: false, verifiedAccounts: verifiedAccounts)
        facts.tag = name
        return facts
    }
}

/// Which access-control entry a decision came from.
public enum AccessControlSource: Equatable, Sendable, CustomStringConvertible {
    /// `access_controls[index]` of the config.
    case config(index: Int)
    /// The index-th default entry (format §8.2).
    case defaults(index: Int)
    /// The one default for tags, after the config's entries that speak of tags (format §13.3): deny.
    case tagDefault

    public var description: String {
        switch self {
        case .config(let i): return "access_controls[\(i)] of \(Config.path)"
        case .defaults(let i): return "default access control #\(i + 1)"
        case .tagDefault: return "the default access control for tags"
        }
    }
}

/// How one signature filter fared on a commit.
public struct SignatureOutcome: Equatable, Sendable {
    public var source: AccessControlSource
    public var required: Int
    /// The accounts whose credentials count (every configured account for `any_account`).
    public var countingAccounts: [String]
    public var anyAccount: Bool
    /// The counting accounts whose credentials verified, in config order.
    public var signedAccounts: [String]
    /// The `count` as written when it is a percentage (`required` is what it comes to).
    public var percent: Int? = nil
    /// True when the filter sits under an odd number of `not` filters: its entry matches when it is *not* met.
    public var negated = false
    /// The counting accounts whose credentials did not verify, in config order.
    public var missingAccounts: [String] { countingAccounts.filter { !signedAccounts.contains($0) } }
    /// Never met by zero signatures, whatever the count says (fail closed).
    public var isMet: Bool { signedAccounts.count >= max(required, 1) }
}

/// The verdict of access-control evaluation.
public struct AccessDecision: Equatable, Sendable {
    public var action: AccessAction
    public var source: AccessControlSource
    /// The signature filters of the deciding entry, those inside `not` filters included (marked `negated`).
    public var signatureOutcomes: [SignatureOutcome]
    /// Allow entries that every other filter matched but whose signature filter was not met: the closest way to
    /// get the commit allowed, for the message.
    public var unmetSignatures: [SignatureOutcome]

    public var isAllowed: Bool { action == .allow }
}
