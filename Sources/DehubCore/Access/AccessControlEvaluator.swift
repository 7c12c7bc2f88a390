/// The pure function from a commit's facts and the governing config to an access decision (format §8). A tag is
/// judged by the config's entries that speak of tags, then the tag default (format §13.3).
public enum AccessControlEvaluator {
    public static func evaluate(_ facts: CommitFacts, config: Config) -> AccessDecision {
        var unmet: [SignatureOutcome] = []
        let own = config.accessControls.enumerated().map { (AccessControlSource.config(index: $0), $1) }
        let entries =
            facts.tag != nil
            ? own.filter { $0.1.speaksOfTags } + [(AccessControlSource.tagDefault, DefaultAccessControls.tagEntry)]
            : own + DefaultAccessControls.entries.enumerated().map { (AccessControlSource.defaults(index: $0), $1) }
        for (source, entry) in entries {
            var outcomes: [SignatureOutcome] = []
            var otherFiltersMatch = true
            var allMatch = true
            for filter in entry.filters {
                let matched: Bool
                if case .signature(let requirement) = filter {
                    let outcome = signatureOutcome(requirement, source: source, facts: facts, config: config)
                    outcomes.append(outcome)
                    matched = outcome.isMet
                } else {
                    matched = matches(filter, facts: facts, config: config)
                    if !matched { otherFiltersMatch = false }
                    outcomes += nestedSignatureOutcomes(filter, negated: false, source: source, facts: facts, config: config)
                }
                if !matched { allMatch = false }
            }
            if allMatch {
                return AccessDecision(action: entry.action, source: source, signatureOutcomes: outcomes, unmetSignatures: unmet)
            }
            if entry.action == .allow, otherFiltersMatch {
                unmet.append(contentsOf: outcomes.filter { !$0.isMet })
            }
        }
        // Unreachable: the last default entry has no filters and always matches.
        return AccessDecision(
            action: .deny, source: facts.tag != nil ? .tagDefault : .defaults(index: DefaultAccessControls.entries.count - 1),
            signatureOutcomes: [], unmetSignatures: unmet)
    }

    static func matches(_ filter: Filter, facts: CommitFacts, config: Config) -> Bool {
        switch filter {
        case .branch(let glob): return facts.tag == nil && glob.matches(facts.branch)
        case .tag(let glob): return facts.tag.map { glob.matches($0) } ?? false
        case .filesChanged(let glob): return facts.changedPaths.contains { glob.matches($0) }
        case .payloadType(let type): return facts.payloadType == type
        case .commitAttributes(let nonFastForward): return facts.nonFastForward == nonFastForward
        case .not(let inner): return !matches(inner, facts: facts, config: config)
        case .signature(let requirement):
            return signatureOutcome(requirement, source: .config(index: -1), facts: facts, config: config).isMet
        }
    }

    /// The signature filters inside `not` filters (at any depth), each marked negated when it sits under an odd
    /// number of them: for the message, which names what a rule such as "deny unless 2 of alice, bob, carol signed"
    /// needs.
    static func nestedSignatureOutcomes(
        _ filter: Filter, negated: Bool, source: AccessControlSource, facts: CommitFacts, config: Config
    ) -> [SignatureOutcome] {
        switch filter {
        case .not(let inner):
            if case .signature(let requirement) = inner {
                var outcome = signatureOutcome(requirement, source: source, facts: facts, config: config)
                outcome.negated = !negated
                return [outcome]
            }
            return nestedSignatureOutcomes(inner, negated: !negated, source: source, facts: facts, config: config)
        case .branch, .tag, .filesChanged, .payloadType, .commitAttributes, .signature:
            return []
        }
    }

    static func signatureOutcome(
        _ requirement: SignatureRequirement, source: AccessControlSource, facts: CommitFacts, config: Config
    ) -> SignatureOutcome {
        let counting = requirement.countingAccounts(in: config)
        let signed = counting.filter { facts.verifiedAccounts.contains($0) }
        var anyAccount = false
        if case .any = requirement.accounts { anyAccount = true }
        var percent: Int?
        if case .percent(let p) = requirement.count { percent = p }
        return SignatureOutcome(
            source: source, required: requirement.requiredCount(in: config), countingAccounts: counting,
            anyAccount: anyAccount, signedAccounts: signed, percent: percent)
    }
}
