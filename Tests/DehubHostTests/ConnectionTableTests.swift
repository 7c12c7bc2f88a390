import NIOCore
import Testing

@testable import DehubHost

/// The connection caps as a pure state machine: per address, half-open per address, eviction of the heaviest
/// address's oldest half-open connection, refusal when everything is authenticated.
@Suite("Connection table")
struct ConnectionTableTests {
    static let limits = ConnectionLimits(total: 6, perAddress: 4, unauthenticated: 4, unauthenticatedPerAddress: 3)

    @Test("an address over its share is refused, and the refusal names the limit")
    func perAddress() {
        var t = ConnectionTable(limits: Self.limits)
        for id in 1...3 { #expect(t.admit(UInt64(id), from: "a") == .admitted(evict: nil)) }
        #expect(t.admit(4, from: "a") == .refused(.tooManyUnauthenticatedFromAddress(limit: 3)))
        t.authenticate(1)
        #expect(t.admit(5, from: "a") == .admitted(evict: nil))
        t.authenticate(2)
        #expect(t.admit(6, from: "a") == .refused(.tooManyFromAddress(limit: 4)))
        #expect(
            ConnectionRefusal.tooManyFromAddress(limit: 4).message
                == "dehub-host: too many connections from your address (max_connections_per_address: 4); close some and try again"
        )
    }

    @Test("past the half-open total, the newcomer gets in and the heaviest address's oldest half-open one is cut")
    func eviction() {
        var t = ConnectionTable(limits: Self.limits)
        #expect(t.admit(1, from: "flood1") == .admitted(evict: nil))
        #expect(t.admit(2, from: "flood1") == .admitted(evict: nil))
        #expect(t.admit(3, from: "flood2") == .admitted(evict: nil))
        #expect(t.admit(4, from: "flood2") == .admitted(evict: nil))
        // 4 half-open: the admin's connection evicts flood1's oldest (both floods hold 2; flood1's is older).
        #expect(t.admit(5, from: "admin") == .admitted(evict: 1))
        t.authenticate(5)
        #expect(t.admit(6, from: "flood1") == .admitted(evict: nil))
        // flood1 holds 2 and 6, flood2 holds 3 and 4: the oldest of the heaviest goes.
        #expect(t.admit(7, from: "flood3") == .admitted(evict: 2))
        #expect(t.entries[5]?.isAuthenticated == true)
        #expect(t.unauthenticatedCount == 4)
    }

    @Test("when every connection is authenticated and the total is reached, the newcomer is refused")
    func totalRefused() {
        var t = ConnectionTable(
            limits: ConnectionLimits(total: 2, perAddress: 2, unauthenticated: 2, unauthenticatedPerAddress: 2))
        _ = t.admit(1, from: "a")
        _ = t.admit(2, from: "b")
        #expect(t.admit(3, from: "c") == .admitted(evict: 1))
        t.authenticate(2)
        t.authenticate(3)
        #expect(t.admit(4, from: "d") == .refused(.tooManyConnections(limit: 2)))
        t.close(2)
        #expect(t.admit(4, from: "d") == .admitted(evict: nil))
    }

    @Test("closing frees the place; closing twice or an unknown id is harmless")
    func close() {
        var t = ConnectionTable(limits: Self.limits)
        _ = t.admit(1, from: "a")
        t.close(1)
        t.close(1)
        t.close(99)
        t.authenticate(99)
        #expect(t.count == 0)
    }

    /// Random admits, authentications and closes: the caps always hold, an evicted connection is one that was
    /// half-open, and an address is only refused when it is at one of its caps.
    @Test("invariants hold over random runs", arguments: 0..<40)
    func randomRuns(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed) &+ 1000)
        let limits = ConnectionLimits(
            total: 2 + Int(rng.next() % 8), perAddress: 1 + Int(rng.next() % 4),
            unauthenticated: 1 + Int(rng.next() % 5), unauthenticatedPerAddress: 1 + Int(rng.next() % 3))
        var t = ConnectionTable(limits: limits)
        var next: UInt64 = 0
        for _ in 0..<400 {
            let ids = Array(t.entries.keys)
            switch rng.next() % 3 {
            case 0:
                next += 1
                let address = "10.0.0.\(rng.next() % 5)"
                let before = t
                switch t.admit(next, from: address) {
                case .admitted(let evict):
                    if let evict { #expect(before.entries[evict]?.isAuthenticated == false) }
                case .refused(.tooManyFromAddress):
                    #expect(before.count(from: address) >= limits.perAddress)
                case .refused(.tooManyUnauthenticatedFromAddress):
                    #expect(before.count(from: address, unauthenticatedOnly: true) >= limits.unauthenticatedPerAddress)
                case .refused(.tooManyConnections):
                    #expect(before.unauthenticatedCount == 0)
                case .refused(.evictedUnauthenticated):
                    Issue.record("an admission is never refused as evicted")
                }
            case 1 where !ids.isEmpty: t.authenticate(ids[Int(rng.next() % UInt64(ids.count))])
            case 2 where !ids.isEmpty: t.close(ids[Int(rng.next() % UInt64(ids.count))])
            default: break
            }
            #expect(t.count <= limits.total)
            #expect(t.unauthenticatedCount <= limits.unauthenticated)
            for address in Set(t.entries.values.map(\.address)) {
                #expect(t.count(from: address) <= limits.perAddress)
                #expect(t.count(from: address, unauthenticatedOnly: true) <= limits.unauthenticatedPerAddress)
            }
        }
    }

    @Test(
        "what counts as one source: an IPv4 address, an IPv6 /64, loopback and IPv4-mapped addresses whole",
        arguments: [
            ("10.1.2.3", "10.1.2.3"),
            ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
            ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
            ("::1", "::1"),
        ])
    func sourceKey(address: String, key: String) throws {
        #expect(ConnectionGuard.sourceKey(try SocketAddress(ipAddress: address, port: 22)) == key)
    }
}
