/// Why a `.dehub/config.yml` is refused: names the key and what is wrong.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    init(_ error: YAMLError) { self.message = "\(Config.path) is not valid YAML: \(error)" }
    init(_ error: YAMLFieldError) { self.message = "\(Config.path): \(error)" }
    public var description: String { message }
}
