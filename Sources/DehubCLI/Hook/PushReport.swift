import DehubCore
import DehubVerification

/// What the pusher reads (as `remote: ...` on the server side): per refused ref or commit, the branch, the commit,
/// the check, the reason and one line of what to do next. Verification stops at the first refused commit, so at
/// most one commit is explained, followed by how many later commits were left unchecked.
enum PushReport {
    static func print(_ outcome: PushVerifier.Outcome, updates: [RefUpdate]) {
        Output.err("dehub: push refused")
        for refusal in outcome.refusals {
            Output.err("dehub: \(TerminalText.safe(refusal.ref)): \(TerminalText.safe(refusal.reason))")
            if let hint = refusal.hint { Output.err("dehub:   next: \(TerminalText.safe(hint))") }
        }
        if outcome.uncheckedUpdates > 0 {
            Output.err("dehub: \(outcome.uncheckedUpdates) later ref update(s) not checked (the hook stops at the first refusal)")
        }
        let failed = outcome.verdicts.filter { !$0.isVerified }
        for verdict in failed {
            for line in VerdictPresenter.explain(verdict) { Output.err("dehub: " + line) }
        }
        if !failed.isEmpty {
            var line = "dehub: \(failed.count) of \(outcome.verdicts.count) commit(s) not verifiable"
            if outcome.uncheckedCommits > 0 {
                line += "; \(outcome.uncheckedCommits) later commit(s) not checked (the hook stops at the first refused commit)"
            }
            Output.err(line + "; nothing was updated")
        }
    }
}
