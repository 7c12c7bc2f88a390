import DehubCluster

/// The internal endpoint an SSH session is carried over to a replica: `POST /_dehub/cluster/ssh/SERVICE/NAME.git`,
/// with a node token scoped to `ssh:SERVICE` (so a token of a proxied HTTP request cannot open an SSH session, whose
/// transport the access rules treat apart: the root of trust is pushed by an admin over SSH only).
struct ClusterTunnelTarget: Equatable, Sendable {
    static let prefix = "/_dehub/cluster/ssh/"

    let service: GitService
    let rawName: String

    /// The service as the node token's scope names it.
    var scopeService: String { "ssh:" + service.rawValue }

    var path: String { Self.prefix + service.rawValue + "/" + rawName + ".git" }

    static func parse(path: String) -> ClusterTunnelTarget? {
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.dropFirst(prefix.count)
        guard let slash = rest.firstIndex(of: "/"), let service = GitService(rawValue: String(rest[..<slash])) else {
            return nil
        }
        let name = rest[rest.index(after: slash)...]
        guard name.hasSuffix(".git"), name.count > 4 else { return nil }
        return ClusterTunnelTarget(service: service, rawName: String(name.dropLast(4)))
    }
}

/// A tunnel's request body as git's stdin: the data frames' bytes, keep-alives dropped. Anything else ends the run.
struct TunnelStdin: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let body: GitRequestBody

    func makeAsyncIterator() -> Iterator { Iterator(base: body.makeAsyncIterator()) }

    struct Iterator: AsyncIteratorProtocol {
        var base: GitRequestBody.Iterator
        var decoder = TunnelFrameDecoder()
        var ready: [[UInt8]] = []

        mutating func next() async throws -> [UInt8]? {
            while ready.isEmpty {
                guard let chunk = try await base.next() else {
                    try decoder.finish()
                    return nil
                }
                for frame in try decoder.feed(chunk) {
                    switch frame {
                    case .data(let bytes): if !bytes.isEmpty { ready.append(bytes) }
                    case .keepalive: break
                    case .stderr, .exit: throw TunnelFrameError.unknownKind(frame == .exit(0) ? 3 : 2)
                    }
                }
            }
            return ready.removeFirst()
        }
    }
}
