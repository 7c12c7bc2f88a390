/// Who authored and committed a commit, and when, resolved the way `git commit` does.
struct CommitIdentity: Equatable {
    var name: String
    var email: String
    var date: GitDate

    enum Role: String {
        case author = "AUTHOR"
        case committer = "COMMITTER"
    }

    /// GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL / GIT_AUTHOR_DATE (or the COMMITTER ones) win; then the
    /// `author.*` / `committer.*` config keys, then `user.name` / `user.email`, then EMAIL.
    /// `config` looks a key up; `now` supplies the date when none is set.
    static func resolve(
        _ role: Role,
        environment: [String: String],
        config: (String) -> String?,
        now: () -> GitDate = GitDate.now
    ) throws -> CommitIdentity {
        let lower = role.rawValue.lowercased()
        let name = environment["GIT_\(role.rawValue)_NAME"] ?? config("\(lower).name") ?? config("user.name")
        let email =
            environment["GIT_\(role.rawValue)_EMAIL"] ?? config("\(lower).email") ?? config("user.email")
            ?? environment["EMAIL"]
        guard let name, !name.allSatisfy(\.isWhitespace) else {
            throw GitError(
                "no \(lower) name: set it with `git config user.name \"Your Name\"` or GIT_\(role.rawValue)_NAME")
        }
        guard let email, !email.isEmpty else {
            throw GitError(
                "no \(lower) email: set it with `git config user.email you@example.com` or GIT_\(role.rawValue)_EMAIL")
        }
        var date = now()
        if let text = environment["GIT_\(role.rawValue)_DATE"], !text.isEmpty {
            guard let parsed = GitDate.parse(text) else {
                throw GitError(
                    "GIT_\(role.rawValue)_DATE '\(text)' is not a date git understands here; use '@<seconds> +0000', "
                        + "RFC 2822 or ISO 8601")
            }
            date = parsed
        }
        return CommitIdentity(name: name, email: email, date: date)
    }
}
