import DehubCore

/// A commit's verdict as a page shows it: verified by whom, or not verifiable and why (the engine's words).
struct WebVerdict: Sendable {
    var verified: Bool
    /// The accounts whose credentials verified, comma-separated (empty: none, or an unsigned commit).
    var by: String
    var reason: String
    var hint: String
    var branch: String

    /// `verdict` from `CommitVerifier`. A pass answered from the verdict cache carries no credential results; every
    /// credential of a commit that passed verified (format §6.3), so the accounts its payload names are the signers.
    init(_ verdict: CommitVerdict, payload: Payload?) {
        verified = verdict.isVerified
        branch = verdict.branch
        var accounts = verdict.verifiedAccounts
        if verdict.cached, let payload {
            var seen = Set<String>()
            accounts = payload.credentials.compactMap(\.account).filter { seen.insert($0).inserted }
        }
        by = accounts.joined(separator: ", ")
        reason = verdict.rejection.map { "\($0.check.rawValue): \($0.reason)" } ?? ""
        hint = verdict.rejection?.hint ?? ""
    }
}
