/// Typed, strict access to one YAML mapping: every key must be read or the mapping is refused
/// (`finish()`), so that a misspelt key such as `require_signature:` can never silently mean "no rule".
struct YAMLMappingReader {
    let path: String
    let mark: YAMLMark
    private let entries: [String: (key: YAMLScalar, value: YAMLNode)]
    private let order: [String]
    private var used = Set<String>()

    init(_ node: YAMLNode, path: String) throws {
        guard case .mapping(let pairs, let mark) = node else {
            throw YAMLFieldError(field: path, problem: "expected a mapping, found \(node.kindName)", mark: node.mark)
        }
        self.path = path
        self.mark = mark
        var entries: [String: (key: YAMLScalar, value: YAMLNode)] = [:]
        for pair in pairs { entries[pair.key.value] = pair }
        self.entries = entries
        self.order = pairs.map(\.key.value)
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool { entries[key] != nil }

    mutating func node(_ key: String) -> YAMLNode? {
        guard let entry = entries[key] else { return nil }
        used.insert(key)
        return entry.value
    }

    mutating func requiredNode(_ key: String) throws -> YAMLNode {
        guard let n = node(key) else {
            throw YAMLFieldError(field: fieldPath(key), problem: "is required", mark: mark)
        }
        return n
    }

    mutating func string(_ key: String) throws -> String {
        try Self.string(try requiredNode(key), path: fieldPath(key))
    }

    mutating func optionalString(_ key: String) throws -> String? {
        guard let n = node(key) else { return nil }
        return try Self.string(n, path: fieldPath(key))
    }

    mutating func optionalBool(_ key: String) throws -> Bool? {
        guard let n = node(key) else { return nil }
        guard case .scalar(let s) = n, s.isPlain, s.value == "true" || s.value == "false" else {
            throw YAMLFieldError(field: fieldPath(key), problem: "expected true or false, found \(n.kindName)", mark: n.mark)
        }
        return s.value == "true"
    }

    mutating func optionalSequence(_ key: String) throws -> [YAMLNode]? {
        guard let n = node(key) else { return nil }
        if case .scalar(let s) = n, s.isPlain, PlainScalarResolution.kind(of: s.value) == .null { return [] }
        guard case .sequence(let items, _) = n else {
            throw YAMLFieldError(field: fieldPath(key), problem: "expected a list, found \(n.kindName)", mark: n.mark)
        }
        return items
    }

    /// Refuses any key that was not read.
    func finish() throws {
        for key in order where !used.contains(key) {
            let entry = entries[key]!
            throw YAMLFieldError(field: fieldPath(key), problem: "unknown key", mark: entry.key.mark)
        }
    }

    static func string(_ node: YAMLNode, path: String) throws -> String {
        guard case .scalar(let s) = node else {
            throw YAMLFieldError(field: path, problem: "expected a string, found \(node.kindName)", mark: node.mark)
        }
        if s.isPlain {
            let kind = PlainScalarResolution.kind(of: s.value)
            guard kind == .string else {
                let shown = s.value.isEmpty ? "an empty value" : "\(kind.name) '\(s.value)'"
                throw YAMLFieldError(
                    field: path, problem: "expected a string, found \(shown) (quote it if a string is meant)", mark: s.mark)
            }
        }
        return s.value
    }
}
