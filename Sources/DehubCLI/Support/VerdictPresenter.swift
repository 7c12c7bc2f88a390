import DehubCore
import DehubVerification

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Shows verdicts to people (stderr for failures) or machines (`--json` on stdout).
enum VerdictPresenter {
    /// The lines that explain one rejected commit.
    static func explain(_ verdict: CommitVerdict) -> [String] { VerdictText.explain(verdict) }

    static func summary(_ verdict: CommitVerdict) -> String {
        if verdict.cached {
            return "ok \(verdict.commit.short) \"\(TerminalText.safe(verdict.head))\" (verified before: verdict cache)"
        }
        let type = verdict.payloadType?.rawValue ?? "?"
        let who = verdict.verifiedAccounts.isEmpty ? "" : " by " + verdict.verifiedAccounts.joined(separator: ", ")
        return "ok \(verdict.commit.short) \(type) \"\(TerminalText.safe(verdict.head))\"\(who)"
    }

    struct JSONVerdict: Encodable {
        var commit: String
        var head: String
        var branch: String
        var verified: Bool
        var payload_type: String?
        var verified_accounts: [String]
        var credentials: [JSONCredential]
        var decided_by: String?
        var check: String?
        var reason: String?
        var hint: String?
        var unmet_signatures: [JSONSignature]
    }
    struct JSONCredential: Encodable {
        var index: Int
        var account: String?
        var kind: String
        var verified: Bool
        var error: String?
    }
    struct JSONSignature: Encodable {
        var source: String
        var required: Int
        var counting_accounts: [String]
        var any_account: Bool
        var signed_accounts: [String]
    }

    static func json(_ verdicts: [CommitVerdict]) -> String {
        let items = verdicts.map { v in
            JSONVerdict(
                commit: v.commit.hex, head: v.head, branch: v.branch, verified: v.isVerified,
                payload_type: v.payloadType?.rawValue, verified_accounts: v.verifiedAccounts,
                credentials: v.credentials.map { c in
                    var error: String?
                    if case .failed(let why) = c.outcome { error = why }
                    return JSONCredential(index: c.index, account: c.account, kind: c.kind, verified: c.isVerified, error: error)
                },
                decided_by: v.decision.map { "\($0.source)" }, check: v.rejection?.check.rawValue,
                reason: v.rejection?.reason, hint: v.rejection?.hint,
                unmet_signatures: (v.decision?.unmetSignatures ?? []).map {
                    JSONSignature(
                        source: "\($0.source)", required: $0.required, counting_accounts: $0.countingAccounts,
                        any_account: $0.anyAccount, signed_accounts: $0.signedAccounts)
                })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(items) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }
}
