/// An OpenSSH public key that dehub cannot use. `message` is shown to users as is.
public struct SSHKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
