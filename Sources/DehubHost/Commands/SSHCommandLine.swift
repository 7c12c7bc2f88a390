/// What a client asked to run over SSH (the `exec` request, or `SSH_ORIGINAL_COMMAND` in OpenSSH mode).
public enum SSHCommandLine: Equatable, Sendable {
    /// `git-upload-pack '/team/x.git'`: the path as sent, without one leading `/`.
    /// Validating the name is `RepoName.parse`'s job.
    case git(GitService, repoPath: String)
    case admin([String])
    /// `watch NAME [NAME...]`: the event stream of these repositories as lines (`RefStreamLine`).
    case watch([String])

    public static let maxLength = 1024

    /// Parses strictly. Git sends `SERVICE 'PATH'` (or `git SUBCOMMAND 'PATH'` from old clients),
    /// quoting the path with single quotes; paths with quotes, `!` or other shell syntax are refused.
    /// Anything that is not a git service is split on single spaces into admin words, which may only
    /// contain printable ASCII without quotes or backslashes.
    public static func parse(_ command: String) -> Result<SSHCommandLine, SSHCommandLineError> {
        guard !command.isEmpty else { return .failure(.empty) }
        guard command.utf8.count <= maxLength else { return .failure(.tooLong) }
        guard command.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else { return .failure(.invalidCharacter) }
        var words = command.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if words.count == 3, words[0] == "git", let service = GitService(rawValue: "git-" + words[1]) {
            words = [service.rawValue, words[2]]
        }
        if let first = words.first, let service = GitService(rawValue: first) {
            guard words.count == 2 else { return .failure(.malformedGitCommand) }
            guard let path = unquote(words[1]) else { return .failure(.malformedGitCommand) }
            return .success(.git(service, repoPath: stripLeadingSlash(path)))
        }
        if let first = words.first, first.hasPrefix("git-") || first == "git" {
            return .failure(.unknownGitService)
        }
        if words.contains(where: { word in word.contains(where: { "'\"\\`$;&|<>".contains($0) }) }) {
            return .failure(.invalidCharacter)
        }
        if words.first == "watch" { return .success(.watch(Array(words.dropFirst()))) }
        return .success(.admin(words))
    }

    /// `'path'` → `path`; a bare `path` is accepted as is. Quotes inside, `!` and backslashes are refused.
    static func unquote(_ word: String) -> String? {
        var inner = Substring(word)
        if inner.hasPrefix("'") {
            guard inner.count >= 2, inner.hasSuffix("'") else { return nil }
            inner = inner.dropFirst().dropLast()
        }
        guard !inner.isEmpty, !inner.contains(where: { "'\"\\!`$ ".contains($0) }) else { return nil }
        return String(inner)
    }

    /// `ssh://host/team/x.git` sends `/team/x.git`; `host:team/x.git` sends `team/x.git`. Both name `team/x`.
    static func stripLeadingSlash(_ path: String) -> String {
        path.hasPrefix("/") ? String(path.dropFirst()) : path
    }
}

public enum SSHCommandLineError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty, tooLong, invalidCharacter, malformedGitCommand, unknownGitService

    public var description: String {
        switch self {
        case .empty: "this host gives no shell; try 'help'"
        case .tooLong: "command too long"
        case .invalidCharacter: "the command contains characters this host does not accept"
        case .malformedGitCommand: "malformed git command"
        case .unknownGitService: "unknown git service (this host runs git-upload-pack, git-receive-pack and git-upload-archive)"
        }
    }
}
