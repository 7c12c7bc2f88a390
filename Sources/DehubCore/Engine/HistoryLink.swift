/// One commit of a linear history as a first-parent walk read it (`GitRepository.linearHistory`): its id, its only
/// parent, its tree and its head. That is all the verdict cache needs to answer it (§9.3), so a walk that has just
/// read the commit hands these over instead of the commit being read a second time.
public struct HistoryLink: Sendable, Equatable {
    public var id: ObjectID
    /// The only parent; nil for a root commit. (A walk that meets a merge gives up: links never have two.)
    public var parent: ObjectID?
    public var tree: ObjectID
    /// The first line of the message, for display (what `CommitInfo.head` gives).
    public var head: String

    public init(id: ObjectID, parent: ObjectID?, tree: ObjectID, head: String) {
        self.id = id
        self.parent = parent
        self.tree = tree
        self.head = head
    }
}
