/// The outcome of verifying one release tag (format §13.2).
public struct TagVerdict: Equatable, Sendable {
    /// The tag's short name (`v1.0`).
    public var name: String
    /// The object the ref points at.
    public var object: ObjectID
    /// The commit the tag points at, once known.
    public var target: ObjectID?
    public var description: String?
    public var credentials: [CredentialResult] = []
    public var decision: AccessDecision?
    public var rejection: Rejection?

    public init(name: String, object: ObjectID) {
        self.name = name
        self.object = object
    }

    public var isVerified: Bool { rejection == nil }

    public var verifiedAccounts: [String] {
        var seen = Set<String>()
        return credentials.compactMap { $0.isVerified ? $0.account : nil }.filter { seen.insert($0).inserted }
    }
}
