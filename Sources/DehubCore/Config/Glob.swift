/// A path glob (format §7.5): `*` matches within one `/`-separated segment, `**` across segments
/// (as a whole segment, `a/**/b` also matches `a/b`), `?` one character other than `/`. Everything else is literal.
public struct Glob: Hashable, Sendable, CustomStringConvertible {
    public let pattern: String
    private let tokens: [Token]

    enum Token: Hashable, Sendable {
        case literal(UInt8)
        case anyChar
        case star
        case globstar
    }

    public init(_ pattern: String) throws(GlobError) {
        let b = Array(pattern.utf8)
        guard !b.isEmpty else { throw .empty }
        var tokens: [Token] = []
        var i = 0
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "*"):
                if i + 1 < b.count, b[i + 1] == UInt8(ascii: "*") {
                    let startsSegment = i == 0 || b[i - 1] == UInt8(ascii: "/")
                    let endsSegment = i + 2 == b.count || b[i + 2] == UInt8(ascii: "/")
                    guard startsSegment, endsSegment else { throw .globstarInsideSegment(pattern) }
                    tokens.append(.globstar)
                    i += 2
                    // `**/` : the slash belongs to the globstar (it may match zero segments)
                    if i < b.count { i += 1 }
                } else {
                    tokens.append(.star)
                    i += 1
                }
            case UInt8(ascii: "?"):
                tokens.append(.anyChar)
                i += 1
            default:
                tokens.append(.literal(b[i]))
                i += 1
            }
        }
        self.pattern = pattern
        self.tokens = tokens
    }

    public var description: String { pattern }

    public func matches(_ path: String) -> Bool { matches(Array(path.utf8)) }

    /// Dynamic programming over (token, byte) positions: linear memory, no exponential backtracking.
    public func matches(_ path: [UInt8]) -> Bool {
        let slash = UInt8(ascii: "/")
        // reachable[j]: the tokens so far can match path[0..<j]
        var reachable = [Bool](repeating: false, count: path.count + 1)
        reachable[0] = true
        for (t, token) in tokens.enumerated() {
            var next = [Bool](repeating: false, count: path.count + 1)
            switch token {
            case .literal(let c):
                for j in 0..<path.count where reachable[j] && path[j] == c { next[j + 1] = true }
            case .anyChar:
                // One character: a whole UTF-8 sequence (invalid bytes count one each).
                for j in 0..<path.count where reachable[j] && path[j] != slash {
                    let lead = path[j]
                    let length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                    let end = j + length
                    if end <= path.count, path[(j + 1)..<end].allSatisfy({ $0 & 0xC0 == 0x80 }) {
                        next[end] = true
                    } else {
                        next[j + 1] = true
                    }
                }
            case .star:
                var on = false
                for j in 0...path.count {
                    if reachable[j] { on = true }
                    next[j] = on
                    if j < path.count, path[j] == slash { on = false }
                }
            case .globstar:
                let isLast = t == tokens.count - 1
                if isLast {
                    // A trailing `**` matches whatever remains, slashes included.
                    var on = false
                    for j in 0...path.count {
                        if reachable[j] { on = true }
                        next[j] = on
                    }
                } else {
                    // `**/` matches zero or more whole segments: from a reachable segment start, jump to any later segment start.
                    var on = false
                    for j in 0...path.count {
                        if reachable[j] { on = true }
                        if on && (j == 0 || path[j - 1] == slash) { next[j] = true }
                    }
                }
            }
            reachable = next
        }
        return reachable[path.count]
    }
}

public enum GlobError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case globstarInsideSegment(String)

    public var description: String {
        switch self {
        case .empty: return "is empty"
        case .globstarInsideSegment(let p): return "'\(p)': '**' must stand alone between slashes"
        }
    }
}
