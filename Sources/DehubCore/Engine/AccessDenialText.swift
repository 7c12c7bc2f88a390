/// Words for an access-control denial: what the rules needed and what the commit had.
public enum AccessDenialText {
    public static func reason(_ decision: AccessDecision, facts: CommitFacts) -> String {
        var text = "\(decision.source) denies this \(facts.payloadType.rawValue) commit on branch '\(facts.branch)'"
        if facts.nonFastForward { text += " (the update is not a fast-forward)" }
        if let unmet = decision.unmetSignatures.first {
            text += "; " + describe(unmet)
        }
        return text
    }

    public static func describe(_ outcome: SignatureOutcome) -> String {
        let who = outcome.anyAccount ? "any account" : "[" + outcome.countingAccounts.joined(separator: ", ") + "]"
        let signed = outcome.signedAccounts.isEmpty ? "none" : outcome.signedAccounts.joined(separator: ", ")
        return "\(outcome.source) needs credentials from \(outcome.required) of \(who); verified: \(signed)"
    }

    public static func hint(_ decision: AccessDecision, facts: CommitFacts) -> String {
        if facts.branch == "main", facts.nonFastForward {
            return "main only moves forward: rebase your work onto the current main and push again"
        }
        if !decision.unmetSignatures.isEmpty {
            return "collect credentials on a thread branch (`dehub commit --as ACCOUNT credential --start REV`) and run `dehub combine`"
        }
        if facts.branch == "main", facts.payloadType != .change {
            return "main takes change commits only: keep comments and credentials on thread branches and `dehub combine` them"
        }
        return "see the access controls in \(Config.path)"
    }
}
