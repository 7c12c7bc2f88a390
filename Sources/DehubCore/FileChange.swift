/// One path that differs between a commit's tree and its parent's (or the empty tree).
/// A side where the path does not exist has mode 0 and the zero id.
public struct FileChange: Hashable, Sendable {
    /// The path relative to the repository root, `/`-separated, as raw bytes (git paths need not be UTF-8).
    public var path: [UInt8]
    public var fromMode: UInt32
    public var fromID: ObjectID
    public var toMode: UInt32
    public var toID: ObjectID

    public init(path: [UInt8], fromMode: UInt32, fromID: ObjectID, toMode: UInt32, toID: ObjectID) {
        self.path = path
        self.fromMode = fromMode
        self.fromID = fromID
        self.toMode = toMode
        self.toID = toID
    }

    public init(path: String, fromMode: UInt32, fromID: ObjectID, toMode: UInt32, toID: ObjectID) {
        self.init(path: Array(path.utf8), fromMode: fromMode, fromID: fromID, toMode: toMode, toID: toID)
    }

    /// The path for display and glob matching (invalid UTF-8 is replaced).
    public var pathString: String { String(decoding: path, as: UTF8.self) }
}
