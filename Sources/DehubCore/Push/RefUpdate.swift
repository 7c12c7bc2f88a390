/// One ref update as git's hooks describe it: the ref, its old value and its new one (zero ids for "none").
public struct RefUpdate: Equatable, Sendable {
    public var old: ObjectID
    public var new: ObjectID
    public var ref: String

    public init(old: ObjectID, new: ObjectID, ref: String) {
        self.old = old
        self.new = new
        self.ref = ref
    }

    public var isDeletion: Bool { new.isZero }
    public var isCreation: Bool { old.isZero }
    /// The branch name for `refs/heads/NAME`, else nil.
    public var branch: String? { ref.hasPrefix("refs/heads/") ? String(ref.dropFirst("refs/heads/".count)) : nil }

    public static let mainRef = "refs/heads/main"
}

/// Why one ref update of a push is refused: the ref, the reason and what to do next, shown to the pusher as is.
public struct PushRefusal: Equatable, Sendable {
    public var ref: String
    public var reason: String
    public var hint: String?

    public init(ref: String, reason: String, hint: String?) {
        self.ref = ref
        self.reason = reason
        self.hint = hint
    }
}
