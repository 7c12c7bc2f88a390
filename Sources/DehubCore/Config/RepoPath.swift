/// Paths inside a repository's tree as the config names them.
public enum RepoPath {
    /// Normalises `a//b/./c` to `a/b/c`; nil for absolute paths, `..`, empty paths, NUL or backslashes.
    public static func normalize(_ path: String) -> String? {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.utf8.contains(0), !path.contains("\\") else { return nil }
        var parts: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { return nil }
            parts.append(segment)
        }
        guard !parts.isEmpty else { return nil }
        return parts.joined(separator: "/")
    }
}
