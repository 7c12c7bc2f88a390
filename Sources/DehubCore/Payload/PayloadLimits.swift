/// Size bounds on commit messages and their payloads. A message beyond them is not verifiable.
public struct PayloadLimits: Sendable {
    public var maxMessageBytes: Int
    public var maxTextBytes: Int
    public var maxCredentials: Int
    public var maxSignatureBytes: Int
    public var maxPublicKeyBytes: Int

    public init(
        maxMessageBytes: Int = 1 << 20, maxTextBytes: Int = 256 << 10, maxCredentials: Int = 32,
        maxSignatureBytes: Int = 16 << 10, maxPublicKeyBytes: Int = 64 << 10
    ) {
        self.maxMessageBytes = maxMessageBytes
        self.maxTextBytes = maxTextBytes
        self.maxCredentials = maxCredentials
        self.maxSignatureBytes = maxSignatureBytes
        self.maxPublicKeyBytes = maxPublicKeyBytes
    }

    public static let `default` = PayloadLimits()
}
