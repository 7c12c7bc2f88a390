/// A repository replicated from: any URL `git fetch` takes (file, http(s), ssh, git://). It is not trusted: what it
/// serves is verified before any ref moves.
public struct ReplicationSource: Sendable, Hashable {
    /// How messages name it: a remote's name, a mirror's URL.
    public var name: String
    public var url: String

    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }

    /// A source named by its URL.
    public init(url: String) { self.init(name: url, url: url) }
}
