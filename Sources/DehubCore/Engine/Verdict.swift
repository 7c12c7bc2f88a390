/// The checks of format §9.2, in the order they run (ancestry is checked per branch update, not per commit).
public enum VerificationCheck: String, Sendable, CaseIterable {
    case commitShape = "commit shape"
    case config = "config"
    case payload = "payload"
    case fingerprint = "fingerprint"
    case filesInNonChange = "files changed"
    case credentials = "credentials"
    case accessControls = "access controls"
    case rootOfTrust = "root of trust"
    case ancestry = "ancestry"
    /// A release tag's own shape (format §13.2): an annotated tag object of a commit, named as its ref.
    case tagObject = "tag object"
}

/// How one credential on a commit fared.
public struct CredentialResult: Equatable, Sendable {
    public enum Outcome: Equatable, Sendable {
        case verified
        case failed(String)
    }
    public var index: Int
    /// The account claimed, or nil for an anonymous credential.
    public var account: String?
    /// `pgp` or `ssh`.
    public var kind: String
    public var outcome: Outcome

    public var isVerified: Bool { outcome == .verified }
}

/// Why a commit is not verifiable: which check failed, the reason, and what to do next.
public struct Rejection: Error, Equatable, Sendable {
    public var check: VerificationCheck
    public var reason: String
    public var hint: String?

    public init(_ check: VerificationCheck, _ reason: String, hint: String? = nil) {
        self.check = check
        self.reason = reason
        self.hint = hint
    }
}

/// The outcome of verifying one commit against its governing config.
public struct CommitVerdict: Equatable, Sendable {
    public var commit: ObjectID
    public var head: String
    public var branch: String
    public var payloadType: PayloadType?
    public var credentials: [CredentialResult]
    public var decision: AccessDecision?
    public var rejection: Rejection?
    /// True when the verdict is a pass recorded by an earlier run (§9.3): the commit was not checked again, so
    /// `payloadType`, `credentials` and `decision` are not known.
    public var cached = false

    public var isVerified: Bool { rejection == nil }

    /// A commit refused without being looked at (`rejection` says why).
    public static func refused(_ commit: ObjectID, branch: String, _ rejection: Rejection) -> CommitVerdict {
        CommitVerdict(
            commit: commit, head: "", branch: branch, payloadType: nil, credentials: [], decision: nil, rejection: rejection)
    }

    public var verifiedAccounts: [String] {
        var seen = Set<String>()
        return credentials.compactMap { $0.isVerified ? $0.account : nil }.filter { seen.insert($0).inserted }
    }
}

extension Rejection {
    /// The rejection for credentials that did not verify (format §6.3: every credential must), listing each one;
    /// nil when all verified. `hint` says what to do for the kind of object they sit on.
    public static func failedCredentials(_ results: [CredentialResult], hint: String) -> Rejection? {
        let failed = results.filter { !$0.isVerified }
        guard !failed.isEmpty else { return nil }
        let list = failed.map { r -> String in
            guard case .failed(let why) = r.outcome else { return "" }
            return "credentials[\(r.index)] (\(r.kind), account \(r.account ?? "anonymous")): \(why)"
        }
        return Rejection(
            .credentials, "\(failed.count) credential(s) did not verify: " + list.joined(separator: "; "), hint: hint)
    }
}
