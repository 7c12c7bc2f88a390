import DehubCore

/// Why a verification could not be carried out at all (as opposed to a commit or a ref update that was judged and
/// refused, which is an `Outcome`): a limit reached, an oversized object refused unread, a bad operator setting.
/// It carries what the user reads (a message and what to do next) and the exit status a command maps it to.
public struct VerificationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// One line saying what went wrong; text from the repository in it is already escaped (`TerminalText`).
    public var message: String
    /// One line saying what to do next, if anything.
    public var hint: String?
    /// The exit status a command reports it with.
    public var status: ExitStatus

    public init(_ message: String, hint: String? = nil, status: ExitStatus) {
        self.message = message
        self.hint = hint
        self.status = status
    }

    public var description: String { message }
}
