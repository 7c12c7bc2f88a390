import DehubCore

/// Why a sync could not run at all (as opposed to a ref that was refused, which is a `RefOutcome`): the cache
/// repository cannot be made or read, or the pinned root of trust disagrees with the one the cache was pinned to.
public struct ReplicationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var hint: String?
    public var status: ExitStatus

    public init(_ message: String, hint: String? = nil, status: ExitStatus = .ioError) {
        self.message = message
        self.hint = hint
        self.status = status
    }

    public var description: String { message }
}
