/// A validated repository name such as `team/project` (stored at `repos/team/project.git`).
///
/// One pure function, `RepoName.parse`, decides what is valid. Transports answer every invalid
/// name with "repository not found", the same answer as for a repository the caller may not see;
/// only the server-side CLI and admins see the precise `RepoNameProblem`.
public struct RepoName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The name without the `.git` suffix, segments joined by `/`.
    public let path: String

    public static let maxLength = 200
    public static let maxSegmentLength = 100
    public static let maxSegments = 8

    /// The segments, e.g. `["team", "project"]`.
    public var segments: [Substring] { path.split(separator: "/") }

    /// The path relative to the `repos` directory: `team/project.git`.
    public var directoryPath: String { path + ".git" }

    public var description: String { path }

    public static func < (lhs: RepoName, rhs: RepoName) -> Bool { lhs.path < rhs.path }

    private init(validated path: String) { self.path = path }

    /// Decides whether `raw` names a repository: segments of `[A-Za-z0-9._-]` joined by `/`,
    /// an optional `.git` suffix, no empty segment, no segment starting with `.` or `-`
    /// (so no `.` or `..`), no absolute path, bounded length, no inner segment ending in `.git`.
    public static func parse(_ raw: String) -> Result<RepoName, RepoNameProblem> {
        guard !raw.isEmpty else { return .failure(.empty) }
        guard raw.utf8.count <= maxLength else { return .failure(.tooLong) }
        guard !raw.hasPrefix("/") else { return .failure(.absolute) }
        var base = Substring(raw)
        if base.hasSuffix(".git") { base = base.dropLast(4) }
        guard !base.isEmpty else { return .failure(.empty) }
        let segments = base.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count <= maxSegments else { return .failure(.tooManySegments) }
        for segment in segments {
            guard !segment.isEmpty else { return .failure(.emptySegment) }
            guard segment.utf8.count <= maxSegmentLength else { return .failure(.tooLong) }
            guard segment.utf8.allSatisfy(isAllowed) else { return .failure(.invalidCharacter) }
            if let first = segment.utf8.first, first == UInt8(ascii: ".") || first == UInt8(ascii: "-") {
                return .failure(.leadingDotOrDash)
            }
            if segment.hasSuffix(".git") { return .failure(.innerGitSuffix) }
        }
        return .success(RepoName(validated: String(base)))
    }

    /// Convenience: the name, or nil when invalid.
    public static func validated(_ raw: String) -> RepoName? {
        if case .success(let name) = parse(raw) { return name }
        return nil
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}

/// Why a repository name is invalid (shown to admins and on the server CLI only).
public enum RepoNameProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case empty, tooLong, absolute, tooManySegments, emptySegment, invalidCharacter, leadingDotOrDash, innerGitSuffix

    public var description: String {
        switch self {
        case .empty: "the repository name is empty"
        case .tooLong:
            "the repository name is too long (at most \(RepoName.maxLength) bytes, \(RepoName.maxSegmentLength) per segment)"
        case .absolute: "the repository name must not start with '/'"
        case .tooManySegments: "the repository name has too many segments (at most \(RepoName.maxSegments))"
        case .emptySegment: "the repository name has an empty segment ('//' or a trailing '/')"
        case .invalidCharacter: "the repository name may only contain A-Z, a-z, 0-9, '.', '_', '-' and '/'"
        case .leadingDotOrDash: "no segment of a repository name may start with '.' or '-'"
        case .innerGitSuffix: "only the last segment of a repository name may end in '.git'"
        }
    }
}
