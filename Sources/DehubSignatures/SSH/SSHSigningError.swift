/// Signing with the OpenSSH tools failed. `message` is shown to users as is.
public struct SSHSigningError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
