/// A page of the web view, parsed from a request's method, raw path and query. A pure function: repository names
/// are validated later by the host's access gate (a bad name is "not found", as for git).
///
/// The web view shares the HTTP address with smart HTTP, so `parse` returns nil for every path that is not one of
/// its pages: any segment ending in `.git` (`/NAME.git/info/refs`, `/NAME.git/dehub/events`), `/dehub/...`,
/// `/.well-known/...`, and git's own suffixes (`/NAME/info/refs`, `/NAME/git-upload-pack`, ...) on a path without a
/// page keyword. A page keyword (`log`, `threads`, `commit`, `tree`, `blob`, `raw`) after the first segment starts
/// the page part of the path, so a repository whose name has such a segment inside it (`team/log/x`) is reached by
/// git with its `.git` suffix, and its pages are not reachable.
public enum WebRoute: Equatable, Sendable {
    case home
    case stylesheet
    case repository(name: String)
    /// `from`: the commit the page starts at (the next page of a long history); nil for the branch's tip.
    case log(name: String, branch: String, from: String?)
    case threads(name: String)
    /// `branch` (`?branch=`): whose rules the verdict is under; nil for main's, or the first branch that holds it.
    case commit(name: String, id: String, branch: String?)
    case tree(name: String, revision: String, path: String)
    case blob(name: String, revision: String, path: String)
    case raw(name: String, revision: String, path: String)
    /// A page path that is refused: `..`, an absolute or empty segment, bad percent-encoding, a malformed id.
    case badPath(String)
    case methodNotAllowed

    public static let maxPathLength = 4096
    static let keywords: Set<Substring> = ["log", "threads", "commit", "tree", "blob", "raw"]
    static let gitSuffixes: Set<Substring> = ["info", "git-upload-pack", "git-receive-pack", "HEAD", "objects"]

    public static func parse(method: String, path: String, query: String?) -> WebRoute? {
        guard path.hasPrefix("/"), path.utf8.count <= maxPathLength else { return nil }
        guard let route = page(path: path, query: query) else { return nil }
        return method == "GET" || method == "HEAD" ? route : .methodNotAllowed
    }

    private static func page(path: String, query: String?) -> WebRoute? {
        if path == "/" { return .home }
        var segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if segments.first == "static" {
            return segments.count == 2 && segments[1] == "style.css" ? .stylesheet : .badPath("no such file")
        }
        guard let first = segments.first, first != "dehub", !first.hasPrefix(".") else { return nil }
        guard let keyword = segments.indices.dropFirst().first(where: { keywords.contains(segments[$0]) }) else {
            // A repository's own page, unless git's smart or dumb HTTP asks (`/NAME/info/refs` and the like).
            if segments.count > 1, segments.last == "" { segments.removeLast() }
            guard !segments.contains(where: { $0.hasSuffix(".git") || gitSuffixes.contains($0) || $0.contains("%") })
            else { return nil }
            return .repository(name: segments.joined(separator: "/"))
        }
        let nameSegments = segments[..<keyword]
        guard !nameSegments.contains(where: { $0.hasSuffix(".git") }) else { return nil }
        let name = nameSegments.joined(separator: "/")
        var rest = Array(segments[(keyword + 1)...])
        switch segments[keyword] {
        case "threads":
            return rest.isEmpty || rest == [""] ? .threads(name: name) : .badPath("no such page")
        case "commit":
            guard rest.count == 1, isObjectID(rest[0]) else { return .badPath("a commit page needs a full commit id") }
            let branch = queryValue("branch", in: query)
            if let branch, !isRefName(branch) { return .badPath("'branch' must be a branch name") }
            return .commit(name: name, id: String(rest[0]), branch: branch)
        case "log":
            guard let branch = decodedRef(rest) else { return .badPath("a log needs a branch name") }
            let from = queryValue("from", in: query)
            if let from, !isObjectID(Substring(from)) { return .badPath("'from' must be a full commit id") }
            return .log(name: name, branch: branch, from: from)
        default:
            guard let revisionSegment = rest.first, let revision = WebPath.decode(revisionSegment), isRefName(revision)
            else { return .badPath("a revision is needed") }
            rest.removeFirst()
            if segments[keyword] == "tree", rest.last == "" { rest.removeLast() }
            var components: [String] = []
            for segment in rest {
                guard let decoded = WebPath.decode(segment), isPathComponent(decoded) else {
                    return .badPath("paths may not be absolute, empty or contain '.' or '..'")
                }
                components.append(decoded)
            }
            let filePath = components.joined(separator: "/")
            switch segments[keyword] {
            case "tree": return .tree(name: name, revision: revision, path: filePath)
            case "blob" where !filePath.isEmpty: return .blob(name: name, revision: revision, path: filePath)
            case "raw" where !filePath.isEmpty: return .raw(name: name, revision: revision, path: filePath)
            default: return .badPath("a file path is needed")
            }
        }
    }

    /// A branch name from the rest of the path (`feature/x` as two segments or as one with `%2F`).
    static func decodedRef(_ segments: [Substring]) -> String? {
        guard !segments.isEmpty else { return nil }
        var parts: [String] = []
        for segment in segments {
            guard let decoded = WebPath.decode(segment) else { return nil }
            parts.append(decoded)
        }
        let ref = parts.joined(separator: "/")
        return isRefName(ref) ? ref : nil
    }

    /// A conservative check of a branch, tag or revision name (git's `check-ref-format` rules, tightened): no empty,
    /// `.` or `..` component, no control characters, no `~^:?*[\`, no leading `-`.
    static func isRefName(_ ref: String) -> Bool {
        guard !ref.isEmpty, ref.utf8.count <= 255, !ref.hasPrefix("-"), !ref.contains(".."), !ref.hasSuffix(".lock")
        else { return false }
        guard ref.split(separator: "/", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") })
        else { return false }
        return ref.unicodeScalars.allSatisfy { s in s.value > 0x20 && s.value != 0x7F && !"~^:?*[\\".unicodeScalars.contains(s) }
    }

    static func isPathComponent(_ component: String) -> Bool {
        !component.isEmpty && component != "." && component != ".." && !component.contains("/") && !component.contains("\0")
    }

    static func isObjectID(_ text: Substring) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The value of `key` in a query string (the first one), percent-decoded.
    static func queryValue(_ key: String, in query: String?) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix(key + "=") {
            return WebPath.decode(pair.dropFirst(key.count + 1))
        }
        return nil
    }
}
