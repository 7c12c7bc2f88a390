import DehubCore

/// What the pusher reads (as `remote: ...` on the server side): per refused ref or commit, the branch, the commit,
/// the check, the reason and one line of what to do next. More than ten refused commits are summarised.
enum PushReport {
    static let detailLimit = 10

    static func print(_ outcome: PushVerifier.Outcome, updates: [RefUpdate]) {
        Output.err("dehub: push refused")
        for refusal in outcome.refusals {
            Output.err("dehub: \(TerminalText.safe(refusal.ref)): \(TerminalText.safe(refusal.reason))")
            if let hint = refusal.hint { Output.err("dehub:   next: \(TerminalText.safe(hint))") }
        }
        let failed = outcome.verdicts.filter { !$0.isVerified }
        for verdict in failed.prefix(detailLimit) {
            for line in VerdictPresenter.explain(verdict) { Output.err("dehub: " + line) }
        }
        if failed.count > detailLimit {
            let rest = failed.dropFirst(detailLimit)
            var byCheck: [String: Int] = [:]
            for v in rest { byCheck[v.rejection?.check.rawValue ?? "?", default: 0] += 1 }
            let summary = byCheck.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", ")
            Output.err("dehub: ... and \(rest.count) more commits not verifiable (\(summary))")
        }
        if !failed.isEmpty {
            Output.err("dehub: \(failed.count) of \(outcome.verdicts.count) commit(s) not verifiable; nothing was updated")
        }
    }
}
