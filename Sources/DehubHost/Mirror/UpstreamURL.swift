/// The URL a mirror follows, checked before git ever sees it. Only `http://`, `https://`, `ssh://`, `git://` and
/// `file://` with a host or path part and no whitespace or control characters: git's `ext::` transport runs a
/// command, `fd::` reads descriptors, and a URL starting with `-` would be taken for an option.
public enum UpstreamURL {
    public static let schemes = ["http://", "https://", "ssh://", "git://", "file://"]
    public static let maxLength = 1024

    public static func validate(_ text: String) -> Result<String, HostError> {
        guard !text.isEmpty, text.utf8.count <= maxLength else {
            return .failure(HostError(.usage, "the upstream URL must have 1 to \(maxLength) bytes"))
        }
        guard text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
            return .failure(HostError(.usage, "the upstream URL must not contain spaces or control characters"))
        }
        guard let scheme = schemes.first(where: { text.lowercased().hasPrefix($0) }), text.count > scheme.count else {
            return .failure(
                HostError(
                    .usage, "the upstream URL must start with \(schemes.joined(separator: ", ")) and name a repository",
                    hint: "e.g. --from https://git.example.org/project.git"))
        }
        return .success(text)
    }

    /// The smart HTTP base of an upstream served by a dehub host, for its event stream (nil for other transports).
    public static func httpBase(_ url: String) -> String? {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return nil }
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// The URL without user information (`https://user:token@host/x.git` → `https://host/x.git`), for messages,
    /// `repos.json` and logs: a token in an upstream URL is never shown.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + String(rest[rest.index(after: at)...])
    }
}
