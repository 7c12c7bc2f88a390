import DehubCore

/// Verdicts and refusals as people read them (the hook's `remote:` lines, `dehub verify`, a mirror's report), with
/// every text that comes from a commit escaped for a terminal.
public enum VerdictText {
    /// The lines that explain one rejected commit.
    public static func explain(_ verdict: CommitVerdict) -> [String] {
        guard let rejection = verdict.rejection else { return [] }
        let safe = TerminalText.safe
        var lines = [
            "commit \(verdict.commit.short) \"\(safe(verdict.head))\" is not verifiable on branch '\(safe(verdict.branch))'"
        ]
        lines.append("  check:  \(rejection.check.rawValue)")
        lines.append("  reason: \(safe(rejection.reason))")
        if let decision = verdict.decision {
            for outcome in decision.unmetSignatures.dropFirst() {
                lines.append("  also:   \(AccessDenialText.describe(outcome))")
            }
        }
        if !verdict.credentials.isEmpty {
            let ok = verdict.verifiedAccounts
            lines.append("  verified credentials: \(ok.isEmpty ? "none" : ok.joined(separator: ", "))")
        }
        if let hint = rejection.hint { lines.append("  next:   \(safe(hint))") }
        return lines
    }

    /// The lines that explain why `outcome` was refused: the refused ref update, or the first refused commit.
    public static func refusal(_ outcome: PushVerifier.Outcome) -> [String] {
        var lines: [String] = []
        for refusal in outcome.refusals {
            lines.append("\(TerminalText.safe(refusal.ref)): \(TerminalText.safe(refusal.reason))")
            if let hint = refusal.hint { lines.append("  next: \(TerminalText.safe(hint))") }
        }
        if let verdict = outcome.firstRefusedVerdict { lines += explain(verdict) }
        return lines
    }
}
