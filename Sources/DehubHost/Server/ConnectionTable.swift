/// The caps on open connections, shared by both transports.
public struct ConnectionLimits: Equatable, Sendable {
    /// Open connections in total (SSH and HTTP together).
    public var total: Int
    /// Open connections from one source address.
    public var perAddress: Int
    /// Connections not yet authenticated (SSH) or without a full request head yet (HTTP), in total.
    public var unauthenticated: Int
    /// Such connections from one source address.
    public var unauthenticatedPerAddress: Int

    public init(total: Int, perAddress: Int, unauthenticated: Int, unauthenticatedPerAddress: Int) {
        self.total = max(1, total)
        self.perAddress = max(1, perAddress)
        self.unauthenticated = max(1, unauthenticated)
        self.unauthenticatedPerAddress = max(1, unauthenticatedPerAddress)
    }
}

/// Why a connection was refused or cut, naming the limit. Both transports show `message` (SSH as a line before
/// its version string, HTTP as a 503 body).
public enum ConnectionRefusal: Error, Equatable, Sendable {
    case tooManyFromAddress(limit: Int)
    case tooManyUnauthenticatedFromAddress(limit: Int)
    case tooManyConnections(limit: Int)
    /// Cut to make room: the host had `limit` unauthenticated connections, and this was the oldest from the
    /// address that held the most.
    case evictedUnauthenticated(limit: Int)

    public var message: String {
        switch self {
        case .tooManyFromAddress(let limit):
            "dehub-host: too many connections from your address (max_connections_per_address: \(limit)); close some and try again"
        case .tooManyUnauthenticatedFromAddress(let limit):
            "dehub-host: too many connections from your address that have not logged in or sent a request yet "
                + "(max_unauthenticated_per_address: \(limit)); try again in a moment"
        case .tooManyConnections(let limit):
            "dehub-host: the host has too many open connections (max_connections: \(limit)); try again in a moment"
        case .evictedUnauthenticated(let limit):
            "dehub-host: connection closed to make room: too many connections that have not logged in yet "
                + "(max_unauthenticated_connections: \(limit)); try again"
        }
    }
}

/// Open connections and their state, as a pure state machine: admit, authenticate, close.
///
/// A new connection is refused when its address holds `perAddress` connections or `unauthenticatedPerAddress`
/// unauthenticated ones. When the host holds `unauthenticated` unauthenticated connections (or `total`
/// connections, some of them unauthenticated), the newcomer is still admitted and the oldest unauthenticated
/// connection of the address that holds the most of them is cut instead (OpenSSH's `MaxStartups` drops at
/// random; this drops from the heaviest address): a flood from many addresses then evicts itself, and an
/// admin's new connection, which authenticates within a second, gets in. Only when every connection is
/// authenticated and `total` are open is the newcomer refused.
public struct ConnectionTable: Sendable {
    public let limits: ConnectionLimits

    public struct Entry: Equatable, Sendable {
        public var address: String
        public var isAuthenticated: Bool
        /// Admission order, for "oldest".
        public var serial: UInt64
    }

    public private(set) var entries: [UInt64: Entry] = [:]
    private var nextSerial: UInt64 = 0

    public init(limits: ConnectionLimits) { self.limits = limits }

    public enum Admission: Equatable, Sendable {
        /// Admitted; cut `evict` (another connection) to make room.
        case admitted(evict: UInt64?)
        case refused(ConnectionRefusal)
    }

    public var count: Int { entries.count }
    public var unauthenticatedCount: Int { entries.values.count(where: { !$0.isAuthenticated }) }

    public func count(from address: String, unauthenticatedOnly: Bool = false) -> Int {
        entries.values.count(where: { $0.address == address && (!unauthenticatedOnly || !$0.isAuthenticated) })
    }

    /// A connection `id` from `address` was accepted.
    public mutating func admit(_ id: UInt64, from address: String) -> Admission {
        if count(from: address) >= limits.perAddress { return .refused(.tooManyFromAddress(limit: limits.perAddress)) }
        if count(from: address, unauthenticatedOnly: true) >= limits.unauthenticatedPerAddress {
            return .refused(.tooManyUnauthenticatedFromAddress(limit: limits.unauthenticatedPerAddress))
        }
        var evict: UInt64?
        if unauthenticatedCount >= limits.unauthenticated || count >= limits.total {
            guard let victim = oldestUnauthenticatedOfHeaviestAddress() else {
                return .refused(.tooManyConnections(limit: limits.total))
            }
            entries[victim] = nil
            evict = victim
        }
        nextSerial += 1
        entries[id] = Entry(address: address, isAuthenticated: false, serial: nextSerial)
        return .admitted(evict: evict)
    }

    /// Connection `id` logged in (SSH) or sent its first full request head (HTTP).
    public mutating func authenticate(_ id: UInt64) {
        entries[id]?.isAuthenticated = true
    }

    /// Connection `id` closed (or was evicted; closing twice is harmless).
    public mutating func close(_ id: UInt64) {
        entries[id] = nil
    }

    /// The oldest unauthenticated connection among the addresses that hold the most of them.
    private func oldestUnauthenticatedOfHeaviestAddress() -> UInt64? {
        var perAddress: [String: Int] = [:]
        for entry in entries.values where !entry.isAuthenticated { perAddress[entry.address, default: 0] += 1 }
        guard let most = perAddress.values.max() else { return nil }
        return entries.filter { !$0.value.isAuthenticated && perAddress[$0.value.address] == most }
            .min(by: { $0.value.serial < $1.value.serial })?.key
    }
}
