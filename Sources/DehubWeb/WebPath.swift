/// The URLs of the web view's pages, and percent-encoding of the parts taken from a repository (branch names, file
/// paths): every byte outside `A-Za-z0-9-._~` is encoded, so a name such as `"><img src=x>` stays one inert segment.
public struct WebPath: Sendable {
    /// `""`, or `/auth` for pages asked for with credentials (links keep the prefix).
    public var prefix: String
    public var repository: String

    public init(prefix: String, repository: String) {
        self.prefix = prefix
        self.repository = repository
    }

    public var home: String { prefix + "/" }
    public var page: String { prefix + "/" + repository }
    public var threads: String { page + "/threads" }
    public func log(_ branch: String, from: String? = nil) -> String {
        page + "/log/" + Self.encodeRef(branch) + (from.map { "?from=" + $0 } ?? "")
    }
    /// `branch`: the rules the page judges the commit under (the branch a log or a thread showed it on).
    public func commit(_ id: String, branch: String? = nil) -> String {
        page + "/commit/" + id + (branch.map { "?branch=" + Self.encode($0) } ?? "")
    }
    public func tree(_ revision: String, _ path: String = "") -> String { file("tree", revision, path) }
    public func blob(_ revision: String, _ path: String) -> String { file("blob", revision, path) }
    public func raw(_ revision: String, _ path: String) -> String { file("raw", revision, path) }

    private func file(_ kind: String, _ revision: String, _ path: String) -> String {
        var url = page + "/" + kind + "/" + Self.encode(revision)
        for component in path.split(separator: "/") { url += "/" + Self.encode(component) }
        return url
    }

    /// A branch name, its `/` kept as separators (the route reads the rest of the path as the name).
    static func encodeRef(_ ref: String) -> String {
        ref.split(separator: "/", omittingEmptySubsequences: false).map { encode($0) }.joined(separator: "/")
    }

    static func encode(_ text: some StringProtocol) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    /// Percent-decodes one path segment; nil for a malformed escape or bytes that are not UTF-8.
    public static func decode(_ segment: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        var iterator = segment.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
