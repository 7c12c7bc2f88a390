import DehubCore

/// A host error: a message for the user, what to do next, and an exit code.
public struct HostError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The user's mistake (bad flags, bad names): exit 64.
        case usage
        /// Refused or not found: exit 1.
        case refused
        /// A file or process failed: exit 74.
        case io
        /// The data directory or config is broken: exit 78.
        case config
        /// A bug: exit 70.
        case `internal`
    }

    public let kind: Kind
    public let message: String
    public let hint: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    /// The exit status for this error (DehubCore's one table of exit statuses).
    public var status: ExitStatus {
        switch kind {
        case .usage: .usage
        case .refused: .notVerifiable
        case .io: .ioError
        case .config: .configError
        case .internal: .internalError
        }
    }

    public var exitCode: Int32 { status.rawValue }

    public var description: String {
        hint.map { "\(message)\n\($0)" } ?? message
    }
}
