/// The most work one request may cause: every page is bounded whatever the repository holds.
public struct WebLimits: Sendable {
    /// Commits per page of a log.
    public var logPageSize = 50
    /// Thread branches listed on the threads page, and commits read per thread.
    public var maxThreads = 30
    public var maxThreadCommits = 100
    /// Entries listed in a tree.
    public var maxTreeEntries = 1000
    /// The largest blob shown on a page (larger ones: the raw download only).
    public var maxBlobBytes = 512 << 10
    /// The largest raw download.
    public var maxRawBytes = 32 << 20
    /// The largest README rendered.
    public var maxReadmeBytes = 256 << 10
    /// A commit page's diff: files, bytes of lines in all, and the largest file whose lines are shown.
    public var maxDiffFiles = 300
    public var maxDiffBytes = 512 << 10
    public var maxDiffFileBytes = 1 << 20

    public init() {}
}
