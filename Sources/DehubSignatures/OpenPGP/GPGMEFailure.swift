/// Why signing or exporting through gpgme failed. The message is shown to users as is.
public struct GPGMEFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
