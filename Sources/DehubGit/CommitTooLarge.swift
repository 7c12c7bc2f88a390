import DehubCore

/// A commit object larger than the reader's limit, found from its header without reading the object.
public struct CommitTooLarge: Error, Equatable, Sendable, CustomStringConvertible {
    public var commit: ObjectID
    public var size: Int
    public var limit: Int

    public var description: String {
        "commit \(commit) is \(size) bytes, more than the limit of \(limit) bytes for a commit object"
    }
}
