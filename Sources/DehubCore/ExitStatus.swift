/// The exit statuses of every dehub executable, and what each means to the person who sees it.
///
/// This is the one table: `dehub --help` and `dehub-host --help` print it (`helpText`), and a test checks that the
/// README's table says the same. `dehub` uses every status but `configError`; `dehub-host` uses `ok`,
/// `notVerifiable` (refused), `usage`, `internalError`, `ioError` and `configError`.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case ok = 0
    /// A commit or push is not verifiable or not allowed; the host refused a request.
    case notVerifiable = 1
    /// Bad command line (swift-argument-parser's validation errors use it too).
    case usage = 64
    /// Bad input data: a malformed payload or config, a revision of the wrong kind, nothing staged.
    case dataError = 65
    /// A repository, revision or file that does not exist.
    case noInput = 66
    /// A signing key or tool that is not available.
    case unavailable = 69
    /// A bug in dehub.
    case internalError = 70
    /// A repository or file could not be read or written; a git process failed.
    case ioError = 74
    /// `dehub-host`: a broken host config or host key, or a missing hook binary.
    case configError = 78

    /// One line for a user, as the README's table has it.
    public var meaning: String {
        switch self {
        case .ok: "ok: verified, committed, installed, served"
        case .notVerifiable: "refused: a commit or a push is not allowed by the rules, or the host refused the request"
        case .usage: "usage: bad command line or bad name"
        case .dataError: "bad data: malformed payload or config, a revision of the wrong kind, nothing staged"
        case .noInput: "no such repository, revision or file"
        case .unavailable: "a signing key or tool is not available"
        case .internalError: "internal error (a bug: please report it)"
        case .ioError: "a repository or file could not be read or written, or a git process failed"
        case .configError: "dehub-host: a broken host config or host key, or a missing hook binary"
        }
    }

    /// The statuses `dehub-host` exits with.
    public static let hostStatuses: [ExitStatus] = [.ok, .notVerifiable, .usage, .internalError, .ioError, .configError]
    /// The statuses `dehub` exits with.
    public static let commandStatuses: [ExitStatus] = allCases.filter { $0 != .configError }

    /// "Exit codes:" and one line per status, for a command's `--help`.
    public static func helpText(_ statuses: [ExitStatus]) -> String {
        (["Exit codes:"] + statuses.map { "  \($0.rawValue)  \($0.meaning)" }).joined(separator: "\n")
    }
}
