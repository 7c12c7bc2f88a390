import Hummingbird
import NIOCore

/// The request context of the smart HTTP server: Hummingbird's basics plus the connection, so that an aborted
/// git run can close it (a response already under way cannot be turned into an error any other way).
public struct GitRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
