/// Reads and validates `.dehub/config.yml` strictly (format §7).
public enum ConfigDecoder {
    public static let maxBytes = 1 << 20

    public static func decode(_ bytes: [UInt8]) throws(ConfigError) -> Config {
        let root: YAMLNode?
        do {
            root = try StrictYAMLReader.read(bytes, limits: YAMLLimits(maxBytes: maxBytes))
        } catch let error as YAMLError {
            throw ConfigError(error)
        } catch {
            throw ConfigError("\(Config.path) could not be read: \(error)")
        }
        guard let root else { return Config() }
        do {
            let config = try decodeRoot(root)
            try ConfigValidator.validate(config, root: root)
            return config
        } catch let error as YAMLFieldError {
            throw ConfigError(error)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError("\(Config.path) could not be read: \(error)")
        }
    }

    static func decodeRoot(_ root: YAMLNode) throws -> Config {
        var map = try YAMLMappingReader(root, path: "")
        let bind = try map.optionalBool("bind_credentials") ?? false
        let accounts = try (map.optionalSequence("accounts") ?? []).enumerated().map { i, node in
            try decodeAccount(node, path: "accounts[\(i)]")
        }
        let controls = try (map.optionalSequence("access_controls") ?? []).enumerated().map { i, node in
            try decodeAccessControl(node, path: "access_controls[\(i)]")
        }
        try map.finish()
        return Config(accounts: accounts, accessControls: controls, bindCredentials: bind)
    }

    static func decodeAccount(_ node: YAMLNode, path: String) throws -> Account {
        var map = try YAMLMappingReader(node, path: path)
        let idNode = try map.requiredNode("id")
        let id = try YAMLMappingReader.string(idNode, path: map.fieldPath("id"))
        guard AccountID.isValid(id) else {
            throw YAMLFieldError(field: map.fieldPath("id"), problem: "'\(id)' \(AccountID.rule)", mark: idNode.mark)
        }
        let signifiers = try (map.optionalSequence("signifiers") ?? []).enumerated().map { i, node in
            try decodeSignifier(node, path: map.fieldPath("signifiers[\(i)]"))
        }
        try map.finish()
        return Account(id: id, signifiers: signifiers)
    }

    static func decodeSignifier(_ node: YAMLNode, path: String) throws -> Signifier {
        var map = try YAMLMappingReader(node, path: path)
        let type = try map.string("type")
        let signifier: Signifier
        switch type {
        case "pgp_public_key": signifier = .pgpPublicKey(body: try map.string("body"))
        case "ssh_public_key": signifier = .sshPublicKey(body: try map.string("body"))
        case "pgp_public_key_file", "ssh_public_key_file":
            let pathNode = try map.requiredNode("path")
            let file = try YAMLMappingReader.string(pathNode, path: map.fieldPath("path"))
            guard let normal = RepoPath.normalize(file), normal.hasPrefix(".dehub/") else {
                throw YAMLFieldError(
                    field: map.fieldPath("path"),
                    problem:
                        "'\(file)' must be a relative path under .dehub/ (no '..', no leading '/'), so that the config's own rules guard it",
                    mark: pathNode.mark)
            }
            signifier = type == "pgp_public_key_file" ? .pgpPublicKeyFile(path: normal) : .sshPublicKeyFile(path: normal)
        default:
            throw YAMLFieldError(
                field: map.fieldPath("type"),
                problem:
                    "unknown signifier type '\(type)' (expected pgp_public_key, pgp_public_key_file, ssh_public_key or ssh_public_key_file)",
                mark: map.mark)
        }
        try map.finish()
        return signifier
    }

    static func decodeAccessControl(_ node: YAMLNode, path: String) throws -> AccessControl {
        var map = try YAMLMappingReader(node, path: path)
        let actionNode = try map.requiredNode("action")
        let actionName = try YAMLMappingReader.string(actionNode, path: map.fieldPath("action"))
        guard let action = AccessAction(rawValue: actionName) else {
            throw YAMLFieldError(
                field: map.fieldPath("action"), problem: "must be allow or deny, not '\(actionName)'", mark: actionNode.mark)
        }
        let filters = try (map.optionalSequence("filters") ?? []).enumerated().map { i, node in
            try decodeFilter(node, path: map.fieldPath("filters[\(i)]"))
        }
        try map.finish()
        return AccessControl(action: action, filters: filters)
    }

    static func decodeFilter(_ node: YAMLNode, path: String) throws -> Filter {
        var map = try YAMLMappingReader(node, path: path)
        let type = try map.string("type")
        let filter: Filter
        switch type {
        case "branch": filter = .branch(try glob(&map, "pattern"))
        case "tag": filter = .tag(try glob(&map, "pattern"))
        case "files_changed": filter = .filesChanged(try glob(&map, "pattern"))
        case "payload_type":
            let n = try map.requiredNode("payload_type")
            let name = try YAMLMappingReader.string(n, path: map.fieldPath("payload_type"))
            guard let t = PayloadType(rawValue: name) else {
                throw YAMLFieldError(
                    field: map.fieldPath("payload_type"), problem: "must be change, comment, credential or tag, not '\(name)'",
                    mark: n.mark)
            }
            filter = .payloadType(t)
        case "signature": filter = .signature(try signature(&map))
        case "commit_attributes":
            guard let nff = try map.optionalBool("non_fast_forward") else {
                throw YAMLFieldError(field: map.fieldPath("non_fast_forward"), problem: "is required", mark: map.mark)
            }
            filter = .commitAttributes(nonFastForward: nff)
        case "not":
            filter = .not(try decodeFilter(try map.requiredNode("filter"), path: map.fieldPath("filter")))
        default:
            throw YAMLFieldError(
                field: map.fieldPath("type"),
                problem:
                    "unknown filter type '\(type)' (expected branch, tag, files_changed, payload_type, signature, commit_attributes or not)",
                mark: map.mark)
        }
        try map.finish()
        return filter
    }

    static func glob(_ map: inout YAMLMappingReader, _ key: String) throws -> Glob {
        let n = try map.requiredNode(key)
        let text = try YAMLMappingReader.string(n, path: map.fieldPath(key))
        do {
            return try Glob(text)
        } catch {
            throw YAMLFieldError(field: map.fieldPath(key), problem: "invalid pattern: \(error)", mark: n.mark)
        }
    }

    static func signature(_ map: inout YAMLMappingReader) throws -> SignatureRequirement {
        let anyAccount = try map.optionalBool("any_account") ?? false
        let idsNode = map.has("account_ids") ? try map.requiredNode("account_ids") : nil
        let accounts: SignatureRequirement.Accounts
        switch (anyAccount, idsNode) {
        case (true, .some):
            throw YAMLFieldError(
                field: map.fieldPath("account_ids"), problem: "cannot be given with any_account: true", mark: map.mark)
        case (true, nil): accounts = .any
        case (false, nil):
            throw YAMLFieldError(
                field: map.fieldPath("account_ids"), problem: "is required (or any_account: true)", mark: map.mark)
        case (false, .some(let n)):
            guard case .sequence(let items, _) = n, !items.isEmpty else {
                throw YAMLFieldError(
                    field: map.fieldPath("account_ids"), problem: "must be a non-empty list of account ids", mark: n.mark)
            }
            accounts = .listed(
                try items.enumerated().map { i, item in
                    try YAMLMappingReader.string(item, path: map.fieldPath("account_ids[\(i)]"))
                })
        }
        var count = SignatureRequirement.Count.number(1)
        if let n = map.node("count") {
            guard case .scalar(let s) = n else {
                throw YAMLFieldError(
                    field: map.fieldPath("count"), problem: "must be a number or a percentage such as \"66%\"", mark: n.mark)
            }
            count = try parseCount(s, field: map.fieldPath("count"))
        }
        return SignatureRequirement(accounts: accounts, count: count)
    }

    static func parseCount(_ s: YAMLScalar, field: String) throws -> SignatureRequirement.Count {
        let text = s.value
        let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard !digits.isEmpty, digits.utf8.count <= 6, digits == "0" || !digits.hasPrefix("0"),
            digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(digits)
        else {
            throw YAMLFieldError(
                field: field, problem: "must be a whole number or a percentage such as \"66%\", not '\(text)'", mark: s.mark)
        }
        if text.hasSuffix("%") {
            guard (1...100).contains(value) else {
                throw YAMLFieldError(field: field, problem: "percentage must be from 1% to 100%", mark: s.mark)
            }
            return .percent(value)
        }
        guard s.isPlain else {
            throw YAMLFieldError(field: field, problem: "a number must not be quoted", mark: s.mark)
        }
        guard value >= 1 else { throw YAMLFieldError(field: field, problem: "must be at least 1", mark: s.mark) }
        return .number(value)
    }
}
