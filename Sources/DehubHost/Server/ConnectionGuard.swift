import NIOCore
import Synchronization

/// The host's open connections, both transports together (`ConnectionTable` behind a lock), with how to cut
/// each one it may have to cut to make room (an NIO channel's pipeline event, or the SSH server's closure).
public final class ConnectionGuard: Sendable {
    public let limits: ConnectionLimits
    private struct State {
        var table: ConnectionTable
        var evictors: [UInt64: @Sendable (ConnectionRefusal) -> Void] = [:]
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    public init(limits: ConnectionLimits) {
        self.limits = limits
        self.state = Mutex(State(table: ConnectionTable(limits: limits)))
    }

    /// Open connections, and those not authenticated yet.
    public var counts: (open: Int, unauthenticated: Int) {
        state.withLock { ($0.table.count, $0.table.unauthenticatedCount) }
    }

    /// Admits `channel`, or says which limit refuses it. A connection cut to make room is told why and closed.
    func admit(_ channel: any Channel) -> Result<UInt64, ConnectionRefusal> {
        admit(source: Self.sourceKey(channel.remoteAddress)) { refusal in
            channel.pipeline.fireUserInboundEventTriggered(ConnectionGuardHandler.Evicted(refusal: refusal))
        }
    }

    /// Admits a connection from `address` (a `sourceKey`), or says which limit refuses it; `evict` is called
    /// (outside the lock) when the connection is cut to make room for a newer one.
    func admit(source address: String, evict: @escaping @Sendable (ConnectionRefusal) -> Void)
        -> Result<UInt64, ConnectionRefusal>
    {
        let (outcome, victim) = state.withLock {
            s -> (Result<UInt64, ConnectionRefusal>, (@Sendable (ConnectionRefusal) -> Void)?) in
            s.nextID += 1
            let id = s.nextID
            switch s.table.admit(id, from: address) {
            case .refused(let refusal):
                return (.failure(refusal), nil)
            case .admitted(let evictID):
                s.evictors[id] = evict
                let victim = evictID.flatMap { s.evictors.removeValue(forKey: $0) }
                return (.success(id), victim)
            }
        }
        victim?(.evictedUnauthenticated(limit: limits.unauthenticated))
        return outcome
    }

    func authenticate(_ id: UInt64) { state.withLock { $0.table.authenticate(id) } }

    func close(_ id: UInt64) {
        state.withLock { s in
            s.table.close(id)
            s.evictors[id] = nil
        }
    }

    /// What counts as one source: the IPv4 address, or the /64 of an IPv6 address (one subscriber's usual share).
    static func sourceKey(_ address: SocketAddress?) -> String {
        switch address {
        case .v4?:
            return address?.ipAddress ?? "?"
        case .v6(let v6)?:
            var raw = v6.address.sin6_addr
            let bytes = withUnsafeBytes(of: &raw) { Array($0.prefix(8)) }
            if bytes.prefix(8).allSatisfy({ $0 == 0 }) { return address?.ipAddress ?? "?" }  // ::1, IPv4-mapped
            return stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                .joined(separator: ":") + "::/64"
        default:
            return "local"
        }
    }
}
