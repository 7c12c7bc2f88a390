import AsyncHTTPClient

/// The HTTP client for requests from node to node (proxied requests, SSH tunnels). Unlike `HTTPClient.shared` (a
/// browser's settings) it follows no redirect (a proxy hands a 302 back as it is, and a node token never travels to
/// another host), decompresses nothing (bytes pass as they are), and has no read timeout: a push's upload or a pack
/// being computed may be silent for long, and the serving node's git idle timeout and the request's deadline bound
/// it. Connecting may take 10 s.
enum ClusterHTTPClient {
    static let shared = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            certificateVerification: .fullVerification, redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10)), decompression: .disabled))
}
