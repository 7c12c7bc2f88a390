import DehubCore

/// One key of `host-config.yml`: its name, how its value is read into a `HostConfig` (with the error that names the
/// key), and how the file written at first start shows it. `HostConfig.table` lists every key; parsing, the
/// unknown-key guard and that file all come from it.
struct HostConfigKey: Sendable {
    let name: String
    /// Reads the key's value into the config; the problem when it is not allowed (the caller adds the line).
    let read: @Sendable (YAMLNode, inout HostConfig) -> String?
    /// The value the first-start file shows, from the defaults.
    private(set) var example: @Sendable (HostConfig) -> String
    /// The comment above the key in that file (without `# `); before the first heading, a commented key also starts
    /// a paragraph (a blank line).
    private(set) var about = ""
    /// A heading that opens a section of that file before this key: a blank line and `# --- heading ---`.
    private(set) var heading: String? = nil
    /// The file shows the key commented out (it is optional, or off by default).
    private(set) var isCommentedOut = false

    /// The key with its comment in the first-start file.
    func about(_ text: String) -> Self { with { $0.about = text } }
    /// The key opening a section of the first-start file.
    func heading(_ title: String) -> Self { with { $0.heading = title } }
    /// The key commented out in the first-start file, showing `example` (or the default) as its value.
    func commentedOut(example: String? = nil) -> Self {
        with {
            $0.isCommentedOut = true
            if let example { $0.example = { _ in example } }
        }
    }

    private func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }

    /// The key's lines in the first-start file.
    func fileText(defaults: HostConfig, inSection: Bool) -> String {
        var text = ""
        if let heading {
            text += "\n# --- \(heading) ---\n"
        } else if !about.isEmpty, !inSection {
            text += "\n"
        }
        if !about.isEmpty {
            for line in about.split(separator: "\n", omittingEmptySubsequences: false) { text += "# \(line)\n" }
        }
        return text + (isCommentedOut ? "# " : "") + "\(name): \(example(defaults))\n"
    }
}

extension HostConfigKey {
    /// A key whose value is one scalar (plain or quoted); a list or mapping is refused.
    static func scalar(
        _ name: String, example: @escaping @Sendable (HostConfig) -> String,
        read: @escaping @Sendable (YAMLScalar, inout HostConfig) -> String?
    ) -> Self {
        HostConfigKey(
            name: name,
            read: { node, config in
                guard case .scalar(let scalar) = node else { return "the value of \(name) is not a plain scalar" }
                return read(scalar, &config)
            }, example: example)
    }

    /// An integer within `rule`'s range.
    static func integer(_ name: String, _ field: WritableKeyPath<HostConfig, Int> & Sendable, _ rule: IntegerRule) -> Self {
        integer(name, rule, example: { "\($0[keyPath: field])" }) { $0[keyPath: field] = $1 }
    }

    /// An integer within `rule`'s range, or no value when the key is absent (`example` shows the effective default).
    static func optionalInteger(
        _ name: String, _ field: WritableKeyPath<HostConfig, Int?> & Sendable, _ rule: IntegerRule,
        example: @escaping @Sendable (HostConfig) -> String
    ) -> Self {
        integer(name, rule, example: example) { $0[keyPath: field] = $1 }
    }

    private static func integer(
        _ name: String, _ rule: IntegerRule, example: @escaping @Sendable (HostConfig) -> String,
        set: @escaping @Sendable (inout HostConfig, Int) -> Void
    ) -> Self {
        scalar(name, example: example) { scalar, config in
            guard let n = rule.value(of: scalar) else { return "\(name) must be \(rule.wording)" }
            set(&config, n)
            return nil
        }
    }

    /// A text; with `isValid`, one that passes it (`wording` says what it must be).
    static func text(
        _ name: String, _ field: WritableKeyPath<HostConfig, String> & Sendable, mustBe wording: String = "",
        where isValid: @escaping @Sendable (String) -> Bool = { _ in true }
    ) -> Self {
        scalar(name, example: { $0[keyPath: field].isEmpty ? "\"\"" : $0[keyPath: field] }) { scalar, config in
            guard isValid(scalar.value) else { return "\(name) must be \(wording)" }
            config[keyPath: field] = scalar.value
            return nil
        }
    }

    /// One of an enumeration's raw values (`wording` lists them).
    static func choice<Value: RawRepresentable<String>>(
        _ name: String, _ field: WritableKeyPath<HostConfig, Value> & Sendable, mustBe wording: String
    ) -> Self {
        scalar(name, example: { $0[keyPath: field].rawValue }) { scalar, config in
            guard let value = Value(rawValue: scalar.value) else { return "\(name) must be \(wording)" }
            config[keyPath: field] = value
            return nil
        }
    }
}

/// What an integer key accepts, and how its error says it.
struct IntegerRule: Sendable {
    let range: ClosedRange<Int>
    /// The end of "KEY must be …".
    let wording: String
    /// A quoted number (`"8"`) is taken too; otherwise only a plain one is.
    var takesQuoted = false

    static let positive = IntegerRule(range: 1...Int.max, wording: "a positive integer")
    /// From 1 to `max`; the error does not name the cap.
    static func positive(max: Int) -> Self { IntegerRule(range: 1...max, wording: "a positive integer") }
    /// From 1 to `max`; the error names it ("… (at most 3600)").
    static func positive(atMost max: Int) -> Self {
        IntegerRule(range: 1...max, wording: "a positive integer (at most \(max))")
    }
    /// From 0 to `max`; the error does not name the cap.
    static func nonNegative(max: Int, takesQuoted: Bool = false) -> Self {
        IntegerRule(range: 0...max, wording: "a non-negative integer", takesQuoted: takesQuoted)
    }
    /// Within `range`; the error names both ends.
    static func from(_ range: ClosedRange<Int>) -> Self {
        IntegerRule(range: range, wording: "an integer from \(range.lowerBound) to \(range.upperBound)")
    }

    func value(of scalar: YAMLScalar) -> Int? {
        guard scalar.isPlain || takesQuoted, let n = Int(scalar.value), range.contains(n) else { return nil }
        return n
    }
}
