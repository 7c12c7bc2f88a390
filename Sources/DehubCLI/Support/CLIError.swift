import DehubCore
import DehubVerification

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

    /// The same message, hint and status as a verification error.
    public init(_ error: VerificationError) {
        self.init(error.message, hint: error.hint, status: error.status)
    }
}
