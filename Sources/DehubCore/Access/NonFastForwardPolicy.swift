/// Whether a branch may be moved other than forward, judged as a whole under the rules in force: the config at
/// the branch's current tip (not the configs inside the history it is moved to, which may predate a key's removal
/// or a stricter rule).
///
/// **(decision)** For `main`, a non-fast-forward update is allowed only by an `allow` entry of the current config
/// that names `commit_attributes: {non_fast_forward: true}` itself. A general allow entry (say, "2 of alice, bob,
/// carol for changes on main") does not also allow rewinding `main` to an old, properly signed commit: that would
/// let anyone replay old credentials to undo later changes. Other branches follow the ordinary evaluation
/// (threads may be force-pushed by any account under the defaults).
public enum NonFastForwardPolicy {
    public static func evaluate(_ facts: CommitFacts, config: Config) -> AccessDecision {
        var decision = AccessControlEvaluator.evaluate(facts, config: config)
        guard facts.branch == "main", decision.isAllowed else { return decision }
        if case .config(let index) = decision.source,
            config.accessControls[index].filters.contains(.commitAttributes(nonFastForward: true))
        {
            return decision
        }
        decision.action = .deny
        return decision
    }
}
