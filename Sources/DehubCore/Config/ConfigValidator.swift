/// Checks that go beyond the shape of the config: duplicate accounts, rules naming unknown accounts,
/// counts that can never be met, percentages with `any_account`.
enum ConfigValidator {
    static func validate(_ config: Config, root: YAMLNode) throws {
        var ids = Set<String>()
        for (i, account) in config.accounts.enumerated() where !ids.insert(account.id).inserted {
            throw ConfigError("\(Config.path): accounts[\(i)].id: duplicate account id '\(account.id)'")
        }
        for (i, control) in config.accessControls.enumerated() {
            for (j, filter) in control.filters.enumerated() {
                try validate(filter, path: "access_controls[\(i)].filters[\(j)]", config: config, ids: ids)
            }
        }
    }

    static func validate(_ filter: Filter, path: String, config: Config, ids: Set<String>) throws {
        switch filter {
        case .not(let inner):
            try validate(inner, path: path + ".filter", config: config, ids: ids)
        case .signature(let requirement):
            switch requirement.accounts {
            case .listed(let listed):
                var seen = Set<String>()
                for (k, id) in listed.enumerated() {
                    guard ids.contains(id) else {
                        throw ConfigError("\(Config.path): \(path).account_ids[\(k)]: unknown account '\(id)'")
                    }
                    guard seen.insert(id).inserted else {
                        throw ConfigError("\(Config.path): \(path).account_ids[\(k)]: account '\(id)' is listed twice")
                    }
                }
                if case .number(let n) = requirement.count, n > listed.count {
                    throw ConfigError(
                        "\(Config.path): \(path).count: \(n) is more than the \(listed.count) listed account(s), so it can never be met"
                    )
                }
            case .any:
                switch requirement.count {
                case .percent:
                    throw ConfigError("\(Config.path): \(path).count: a percentage needs account_ids, not any_account")
                case .number(let n) where n > config.accounts.count:
                    throw ConfigError(
                        "\(Config.path): \(path).count: \(n) is more than the \(config.accounts.count) account(s) in the config, so it can never be met"
                    )
                default: break
                }
            }
        default: break
        }
    }
}
