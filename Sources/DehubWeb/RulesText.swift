import DehubCore

/// A config's access controls in plain words, one sentence per entry, in the order they are tried (format §8):
/// "Changes to main need 2 signatures of alice, bob, carol."
enum RulesText {
    static func sentences(_ config: Config) -> [String] {
        config.accessControls.map { sentence($0, config: config) }
    }

    /// The defaults that follow a config's own entries (format §8.2), in the same words.
    static var defaults: [String] {
        DefaultAccessControls.entries.map { sentence($0, config: Config()) }
    }

    static func sentence(_ entry: AccessControl, config: Config) -> String {
        var what = "commits"
        var conditions: [String] = []
        var signatures: [String] = []
        for filter in entry.filters {
            switch filter {
            case .payloadType(let type): what = type == .change ? "changes" : "\(type.rawValue) commits"
            case .signature(let requirement): signatures.append(needs(requirement, config: config))
            default: conditions.append(describe(filter, config: config))
            }
        }
        let subject = ([what] + conditions).joined(separator: " ")
        if entry.filters.isEmpty { return entry.action == .allow ? "Anything else is allowed." : "Anything else is refused." }
        switch entry.action {
        case .allow:
            if signatures.isEmpty { return "\(subject.capitalizedFirst) are allowed." }
            return "\(subject.capitalizedFirst) need \(signatures.joined(separator: " and "))."
        case .deny:
            if signatures.isEmpty { return "\(subject.capitalizedFirst) are refused." }
            return "\(subject.capitalizedFirst) that carry \(signatures.joined(separator: " and ")) are refused."
        }
    }

    static func describe(_ filter: Filter, config: Config) -> String {
        switch filter {
        case .branch(let glob): return glob.pattern.contains("*") ? "on branches matching \(glob.pattern)" : "to \(glob.pattern)"
        case .tag(let glob): return "as tags matching \(glob.pattern)"
        case .filesChanged(let glob): return "that change files matching \(glob.pattern)"
        case .payloadType(let type): return "of type \(type.rawValue)"
        case .commitAttributes(let nonFastForward):
            return nonFastForward ? "that are not fast-forwards" : "that are fast-forwards"
        case .signature(let requirement): return "with " + needs(requirement, config: config)
        case .not(let inner):
            switch inner {
            case .branch(let glob): return "to branches other than \(glob.pattern)"
            case .signature(let requirement): return "without " + needs(requirement, config: config)
            default: return "not " + describe(inner, config: config)
            }
        }
    }

    /// `2 signatures of alice, bob, carol`, `a signature of any account`, `67% (2) of alice, bob, carol`.
    static func needs(_ requirement: SignatureRequirement, config: Config) -> String {
        let count = requirement.requiredCount(in: config)
        let who: String
        switch requirement.accounts {
        case .any: who = "any account"
        case .listed(let ids): who = ids.joined(separator: ", ")
        }
        let amount: String
        switch requirement.count {
        case .percent(let p): amount = "\(p)% (\(count)) of the signatures"
        case .number: amount = count == 1 ? "a signature" : "\(count) signatures"
        }
        return "\(amount) of \(who)"
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
