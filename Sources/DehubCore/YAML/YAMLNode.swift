/// A position in a YAML document, 1-based.
public struct YAMLMark: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "line \(line), column \(column)" }
}

/// A scalar as written: its value and how it was written (plain scalars are subject to type resolution).
public struct YAMLScalar: Hashable, Sendable {
    public var value: String
    public var isPlain: Bool
    public var mark: YAMLMark
}

/// A composed YAML node. Only what dehub's strict reader accepts: no anchors, aliases or tags,
/// scalar mapping keys, no duplicate keys.
public indirect enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode], YAMLMark)
    case mapping([(key: YAMLScalar, value: YAMLNode)], YAMLMark)

    public var mark: YAMLMark {
        switch self {
        case .scalar(let s): return s.mark
        case .sequence(_, let m), .mapping(_, let m): return m
        }
    }

    /// What kind of node this is, for error messages.
    public var kindName: String {
        switch self {
        case .scalar(let s): return s.isPlain ? PlainScalarResolution.kind(of: s.value).name : "string"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// A YAML document that could not be read, with where.
public struct YAMLError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var mark: YAMLMark?

    public init(_ message: String, at mark: YAMLMark?) {
        self.message = message
        self.mark = mark
    }

    public var description: String {
        guard let mark else { return message }
        return "\(mark): \(message)"
    }
}

/// Bounds on what the reader accepts, so that a hostile document cannot exhaust the hook.
public struct YAMLLimits: Sendable {
    public var maxBytes: Int
    public var maxDepth: Int
    public var maxNodes: Int

    public init(maxBytes: Int, maxDepth: Int = 32, maxNodes: Int = 50_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }
}
