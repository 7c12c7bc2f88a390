/// Why a commit message is not a verifiable dehub payload.
public struct PayloadError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    init(_ error: YAMLError) { self.message = "payload is not valid YAML: \(error)" }
    init(_ error: YAMLFieldError) { self.message = "payload \(error)" }
}
