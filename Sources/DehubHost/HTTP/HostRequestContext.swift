import Hummingbird
import NIOCore

/// Hummingbird's basic request context plus the source the connection counts against (its address, or the
/// /64 of an IPv6 address): requests without a key share the git slots per source.
public struct HostRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// `ConnectionGuard.sourceKey` of the client's address.
    public let source: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.source = ConnectionGuard.sourceKey(source.channel.remoteAddress)
    }
}
