import Hummingbird
import NIOCore

/// The request context of the smart HTTP server: Hummingbird's basics, the connection (so that an aborted git run
/// can close it, and a request waiting for a git slot leaves the queue when its client goes away), and the source
/// the connection counts against (its address, or the /64 of an IPv6 address): requests without a key share the
/// git slots per source.
public struct HostRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel
    /// `ConnectionGuard.sourceKey` of the client's address.
    public let source: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.source = ConnectionGuard.sourceKey(source.channel.remoteAddress)
    }
}
