/// An annotated tag object as git stores it: the name it gives itself, what it points at and its message.
public struct TagObject: Equatable, Sendable {
    public var id: ObjectID
    /// The object's `tag` header (git writes the short name: `v1.0`).
    public var name: String
    public var target: ObjectID
    /// False when the tag points at a tree, a blob or another tag: only tags of commits are releases.
    public var targetIsCommit: Bool
    /// The raw tag message, exactly as stored (invalid UTF-8 replaced; see `messageIsValidUTF8`).
    public var message: String
    public var messageIsValidUTF8 = true

    public init(id: ObjectID, name: String, target: ObjectID, targetIsCommit: Bool, message: String) {
        self.id = id
        self.name = name
        self.target = target
        self.targetIsCommit = targetIsCommit
        self.message = message
    }
}

/// Reading tag objects, for release tags (format §13). `DehubGit` implements it over libgit2; tests use a fake.
public protocol TagReading {
    /// The annotated tag object `id`, or nil when `id` is another kind of object (a lightweight tag names a commit
    /// directly). Must refuse (throw) an object larger than `limit` bytes without reading it.
    func annotatedTag(_ id: ObjectID, limit: Int) throws -> TagObject?
}
