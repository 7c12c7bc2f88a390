/// Words for an access-control denial: what the rules needed and what the commit had.
public enum AccessDenialText {
    /// `credentials` are the commit's credential results, when some may have failed without rejecting the commit
    /// first (a non-fast-forward's new tip): the failures are named with their reasons.
    public static func reason(_ decision: AccessDecision, facts: CommitFacts, credentials: [CredentialResult] = []) -> String {
        var text =
            facts.tag.map { "\(decision.source) denies tag '\($0)'" }
            ?? "\(decision.source) denies this \(facts.payloadType.rawValue) commit on branch '\(facts.branch)'"
        if decision.source == .tagDefault, decision.unmetSignatures.isEmpty {
            text += ": no entry of \(Config.path) that speaks of tags (a `tag` or `payload_type: tag` filter) allows it"
        }
        if facts.nonFastForward { text += " (the update is not a fast-forward)" }
        if let rule = deniedUnless(decision) {
            // "deny ... unless N of [...] signed": a signature filter under `not` in the deciding deny entry.
            text += " unless it carries credentials from " + needed(rule) + "; " + tally(rule)
        } else if let unmet = decision.unmetSignatures.first {
            text += "; " + describe(unmet)
        }
        let failed = credentials.compactMap { r -> String? in
            guard case .failed(let why) = r.outcome else { return nil }
            return "credentials[\(r.index)] (\(r.kind), account \(r.account ?? "anonymous")): \(why)"
        }
        if !failed.isEmpty { text += "; did not verify: " + failed.joined(separator: "; ") }
        return text
    }

    public static func describe(_ outcome: SignatureOutcome) -> String {
        "\(outcome.source) needs credentials from \(needed(outcome)); \(tally(outcome))"
    }

    /// `2 of [alice, bob, carol]`, `2 (66%) of [alice, bob, carol]`, `1 of any account`.
    static func needed(_ outcome: SignatureOutcome) -> String {
        let who = outcome.anyAccount ? "any account" : "[" + outcome.countingAccounts.joined(separator: ", ") + "]"
        let percent = outcome.percent.map { " (\($0)%)" } ?? ""
        return "\(outcome.required)\(percent) of \(who)"
    }

    /// `verified: alice; missing: bob, carol` (no missing list for `any account`).
    static func tally(_ outcome: SignatureOutcome) -> String {
        var text = "verified: " + (outcome.signedAccounts.isEmpty ? "none" : outcome.signedAccounts.joined(separator: ", "))
        if !outcome.anyAccount, !outcome.missingAccounts.isEmpty {
            text += "; missing: " + outcome.missingAccounts.joined(separator: ", ")
        }
        return text
    }

    /// The unmet signature filter under `not` that made a deny entry match, if that is how it matched.
    static func deniedUnless(_ decision: AccessDecision) -> SignatureOutcome? {
        guard decision.action == .deny else { return nil }
        return decision.signatureOutcomes.first { $0.negated && !$0.isMet }
    }

    public static func hint(_ decision: AccessDecision, facts: CommitFacts) -> String {
        if let tag = facts.tag {
            if !decision.unmetSignatures.isEmpty || deniedUnless(decision) != nil {
                return
                    "collect the missing credentials on a thread (`dehub tag \(tag) --propose BRANCH`, then `dehub tag \(tag) --from BRANCH --as ACCOUNT` by each signer) and push the tag again"
            }
            return "releases need an access control for tags in \(Config.path) (see docs/format.md §13)"
        }
        if facts.branch == "main", facts.nonFastForward {
            return "main only moves forward: rebase your work onto the current main and push again"
        }
        if !decision.unmetSignatures.isEmpty || deniedUnless(decision) != nil {
            return
                "collect credentials on a thread branch (`dehub commit --as ACCOUNT credential --start REV`) and run `dehub combine`"
        }
        if facts.branch == "main", facts.payloadType != .change {
            return "main takes change commits only: keep comments and credentials on thread branches and `dehub combine` them"
        }
        return "see the access controls in \(Config.path)"
    }
}
