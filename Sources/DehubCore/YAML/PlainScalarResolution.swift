/// How a YAML 1.1 or 1.2 reader would type a plain (unquoted) scalar. dehub refuses plain scalars that
/// other readers would take for a null, boolean or number where a string belongs: `account: no` must not
/// mean `false` to one implementation and `"no"` to another.
public enum PlainScalarResolution: Equatable, Sendable {
    case string
    case null
    case boolean
    case integer
    case float
    case timestamp

    public var name: String {
        switch self {
        case .string: return "string"
        case .null: return "null"
        case .boolean: return "boolean"
        case .integer: return "integer"
        case .float: return "number"
        case .timestamp: return "timestamp"
        }
    }

    static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]
    static let booleans: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    ]
    static let specialFloats: Set<String> = [
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
    ]

    public static func kind(of value: String) -> PlainScalarResolution {
        if nulls.contains(value) { return .null }
        if booleans.contains(value) { return .boolean }
        if specialFloats.contains(value) { return .float }
        if value == "=" || value == "<<" { return .null }  // YAML 1.1 "value" and "merge" keys: not plain strings
        let b = Array(value.utf8)
        if isInteger(b) { return .integer }
        if isFloat(b) || isSexagesimalFloat(b) { return .float }
        if isTimestamp(b) { return .timestamp }
        return .string
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// Decimal, octal, hexadecimal, binary and sexagesimal integers of YAML 1.1 and 1.2.
    static func isInteger(_ b: [UInt8]) -> Bool {
        var i = 0
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count else { return false }
        let rest = b[i...]
        if rest.count > 2, rest.first == UInt8(ascii: "0") {
            let p = rest[rest.startIndex + 1]
            let digits = rest.dropFirst(2)
            switch p {
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                return !digits.isEmpty && digits.allSatisfy { Hex.nibble($0) != nil || $0 == UInt8(ascii: "_") }
            case UInt8(ascii: "o"):
                return !digits.isEmpty && digits.allSatisfy { ($0 >= 48 && $0 <= 55) || $0 == UInt8(ascii: "_") }
            case UInt8(ascii: "b"):
                return !digits.isEmpty && digits.allSatisfy { $0 == 48 || $0 == 49 || $0 == UInt8(ascii: "_") }
            default: break
            }
        }
        guard let first = rest.first, isDigit(first) else { return false }
        // decimal / 1.1 octal, with underscores, optionally sexagesimal groups `:[0-5]?[0-9]`
        var sawColon = false
        for c in rest {
            if isDigit(c) || c == UInt8(ascii: "_") { continue }
            if c == UInt8(ascii: ":") { sawColon = true; continue }
            return false
        }
        if sawColon {
            let groups = rest.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            for g in groups.dropFirst() where g.isEmpty || g.count > 2 || !g.allSatisfy(isDigit) { return false }
        }
        return true
    }

    /// YAML 1.1 base-60 floats: `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*`.
    static func isSexagesimalFloat(_ b: [UInt8]) -> Bool {
        guard let dot = b.firstIndex(of: UInt8(ascii: ".")), b[..<dot].contains(UInt8(ascii: ":")) else { return false }
        return isInteger(Array(b[..<dot])) && b[(dot + 1)...].allSatisfy { isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// YAML 1.1 timestamps: `YYYY-M-D`, alone or followed by a time (`T`, `t` or a space).
    static func isTimestamp(_ b: [UInt8]) -> Bool {
        guard b.count >= 8, b[0...3].allSatisfy(isDigit), b[4] == UInt8(ascii: "-") else { return false }
        var i = 5
        for part in 0..<2 {
            let start = i
            while i < b.count, isDigit(b[i]), i - start < 2 { i += 1 }
            guard i > start else { return false }
            if part == 0 {
                guard i < b.count, b[i] == UInt8(ascii: "-") else { return false }
                i += 1
            }
        }
        return i == b.count || b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ")
            || b[i] == UInt8(ascii: "\t")
    }

    /// `[-+]?(\.[0-9_]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?` (covers 1.1 and 1.2 forms).
    static func isFloat(_ b: [UInt8]) -> Bool {
        var i = 0
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        var mantissaDigits = 0
        while i < b.count, isDigit(b[i]) || (mantissaDigits > 0 && b[i] == UInt8(ascii: "_")) { mantissaDigits += 1; i += 1 }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, isDigit(b[i]) || b[i] == UInt8(ascii: "_") { mantissaDigits += 1; i += 1 }
        } else if i < b.count, b[i] != UInt8(ascii: "e"), b[i] != UInt8(ascii: "E") {
            return false
        }
        guard mantissaDigits > 0 else { return false }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            var exp = 0
            while i < b.count, isDigit(b[i]) { exp += 1; i += 1 }
            guard exp > 0 else { return false }
        }
        return i == b.count
    }
}
