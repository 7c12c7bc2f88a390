import DehubCore

/// Exit codes of every dehub command (listed in the README).
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    /// A commit or push is not verifiable / not allowed.
    case notVerifiable = 1
    /// Bad command line (swift-argument-parser's validation errors use it too).
    case usage = 64
    /// Bad input data: a malformed payload or config, a revision that is not a dehub commit of the expected kind.
    case dataError = 65
    /// A repository, revision or file that does not exist.
    case noInput = 66
    /// A signing key or tool that is not available.
    case unavailable = 69
    /// A bug in dehub.
    case internalError = 70
    /// The repository could not be read or written.
    case ioError = 74
}

/// An error a command shows to its user: what went wrong, what to do next, and the exit code.
public struct CLIError: Error, CustomStringConvertible {
    public var message: String
    public var hint: String?
    public var status: ExitStatus

    public init(_ message: String, hint: String? = nil, status: ExitStatus) {
        self.message = message
        self.hint = hint
        self.status = status
    }

    public var description: String { message }
}
