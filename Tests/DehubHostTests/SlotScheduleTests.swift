import Testing

@testable import DehubHost

/// The sharing of git slots as a pure state machine: reserve, per-owner share, priority, queue bounds, and
/// invariants over long random runs.
@Suite("Git slot schedule")
struct SlotScheduleTests {
    static let admin = SlotClaim(owner: "SHA256:admin", isPrivileged: true)
    static let member = SlotClaim(owner: "SHA256:member", isPrivileged: true)
    static func anonymous(_ n: Int) -> SlotClaim { SlotClaim(owner: "anonymous@10.0.0.\(n)", isPrivileged: false) }

    @Test("others never take the reserved slots; admins and members do")
    func reserve() {
        var s = SlotSchedule(limits: SlotLimits(total: 4, reserved: 2, perOwner: 10, maxQueued: 10))
        #expect(s.arrive(1, Self.anonymous(1)) == .granted)
        #expect(s.arrive(2, Self.anonymous(2)) == .granted)
        #expect(s.arrive(3, Self.anonymous(3)) == .queued)
        #expect(s.arrive(4, Self.admin) == .granted)
        #expect(s.arrive(5, Self.member) == .granted)
        #expect(s.arrive(6, Self.admin) == .queued)
        #expect(s.running == 4)
        #expect(s.runningOthers == 2)
    }

    @Test("a freed slot goes to the first waiting admin or member before any earlier anonymous waiter")
    func priority() {
        var s = SlotSchedule(limits: SlotLimits(total: 2, reserved: 0, perOwner: 10, maxQueued: 10))
        #expect(s.arrive(1, Self.anonymous(1)) == .granted)
        #expect(s.arrive(2, Self.anonymous(2)) == .granted)
        #expect(s.arrive(3, Self.anonymous(3)) == .queued)
        #expect(s.arrive(4, Self.member) == .queued)
        #expect(s.release(Self.anonymous(1)) == [4])
        #expect(s.release(Self.anonymous(2)) == [3])
    }

    @Test("one owner runs at most its share; a waiter blocked by its share does not hold up others")
    func perOwner() {
        var s = SlotSchedule(limits: SlotLimits(total: 4, reserved: 0, perOwner: 2, maxQueued: 10))
        #expect(s.arrive(1, Self.anonymous(1)) == .granted)
        #expect(s.arrive(2, Self.anonymous(1)) == .granted)
        #expect(s.arrive(3, Self.anonymous(1)) == .queued)
        #expect(s.arrive(4, Self.anonymous(2)) == .granted)
        #expect(s.arrive(5, Self.anonymous(2)) == .granted)
        #expect(s.arrive(6, Self.anonymous(3)) == .queued)
        // A slot of owner 2 frees: owner 1 is still at its share, so owner 3 (behind it) runs.
        #expect(s.release(Self.anonymous(2)) == [6])
        #expect(s.release(Self.anonymous(1)) == [3])
    }

    @Test("each class has its own bounded queue; the refusal names the queue limit and the real counts")
    func queueBound() {
        var s = SlotSchedule(limits: SlotLimits(total: 1, reserved: 0, perOwner: 10, maxQueued: 1))
        #expect(s.arrive(1, Self.anonymous(1)) == .granted)
        #expect(s.arrive(2, Self.anonymous(2)) == .queued)
        let refused = s.arrive(3, Self.anonymous(3))
        #expect(refused == .refused(.queueFull(running: 1, waiting: 1, limits: s.limits)))
        // Admins and members queue separately: anonymous waiters cannot fill their queue.
        #expect(s.arrive(4, Self.admin) == .queued)
        guard case .refused(let refusal) = refused else { return }
        #expect(
            refusal.message == "the host is busy: 1 of 1 git processes are running and 1 requests are waiting, "
                + "the most that may wait (max_queued_requests: 1); try again in a moment")
    }

    @Test("the timeout message says what was waited for, with the counts at that time")
    func timeoutMessage() {
        var s = SlotSchedule(limits: SlotLimits(total: 2, reserved: 0, perOwner: 10, maxQueued: 5))
        _ = s.arrive(1, Self.admin)
        _ = s.arrive(2, Self.admin)
        _ = s.arrive(3, Self.admin)
        #expect(
            s.timedOut(after: 60).message == "the host is busy: no git process freed up for this request within 60 s "
                + "(queue_wait_seconds); 2 of 2 are running and 1 requests are waiting; try again in a moment")
    }

    @Test("leaving the queue: only waiting requests leave; a left request is never granted")
    func leave() {
        var s = SlotSchedule(limits: SlotLimits(total: 1, reserved: 0, perOwner: 10, maxQueued: 5))
        _ = s.arrive(1, Self.admin)
        _ = s.arrive(2, Self.member)
        let left = s.leave(2), leftAgain = s.leave(2), leftGranted = s.leave(1)
        #expect(left)
        #expect(!leftAgain)
        #expect(!leftGranted)
        #expect(s.release(Self.admin) == [])
        #expect(s.running == 0)
    }

    @Test("limits are sane whatever the config: at least one slot, the reserve leaves one for others")
    func limitsClamp() {
        let l = SlotLimits(total: 0, reserved: 5, perOwner: 0, maxQueued: -1)
        #expect(l.total == 1 && l.reserved == 0 && l.perOwner == 1 && l.maxQueued == 0)
        #expect(SlotLimits(total: 4, reserved: 9).unreserved == 1)
    }

    /// Random arrivals, departures and releases against the invariants: never more than `total` running, others
    /// never more than `unreserved`, no owner over its share, nobody waits who could run, and every request ends
    /// exactly once (granted and released, or left).
    @Test("invariants hold over random runs", arguments: 0..<40)
    func randomRuns(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed))
        let limits = SlotLimits(
            total: 1 + Int(rng.next() % 6), reserved: Int(rng.next() % 4),
            perOwner: 1 + Int(rng.next() % 3), maxQueued: Int(rng.next() % 5))
        var s = SlotSchedule(limits: limits)
        var held: [(UInt64, SlotClaim)] = []
        var waiting: [UInt64: SlotClaim] = [:]
        var next: UInt64 = 0
        for _ in 0..<400 {
            switch rng.next() % 3 {
            case 0:
                next += 1
                let claim = SlotClaim(owner: "o\(rng.next() % 4)", isPrivileged: rng.next() % 3 == 0)
                switch s.arrive(next, claim) {
                case .granted: held.append((next, claim))
                case .queued: waiting[next] = claim
                case .refused:
                    #expect(s.waiting.count(where: { $0.claim.isPrivileged == claim.isPrivileged }) >= limits.maxQueued)
                }
            case 1 where !held.isEmpty:
                let (_, claim) = held.remove(at: Int(rng.next() % UInt64(held.count)))
                for id in s.release(claim) {
                    let granted = waiting.removeValue(forKey: id)
                    #expect(granted != nil)
                    if let granted { held.append((id, granted)) }
                }
            case 2 where !waiting.isEmpty:
                let id = Array(waiting.keys)[Int(rng.next() % UInt64(waiting.count))]
                let left = s.leave(id)
                #expect(left)
                waiting[id] = nil
            default: break
            }
            #expect(s.running == held.count)
            #expect(s.running <= limits.total)
            #expect(s.runningOthers == held.count(where: { !$0.1.isPrivileged }))
            #expect(s.runningOthers <= limits.unreserved)
            for owner in Set(held.map(\.1.owner)) { #expect(held.count(where: { $0.1.owner == owner }) <= limits.perOwner) }
            #expect(s.waiting.count == waiting.count)
            for waiter in s.waiting { #expect(!s.mayRun(waiter.claim), "a waiter that may run is left waiting") }
        }
    }
}

extension SlotScheduleTests {
    /// Every sequence of up to 6 steps (arrivals from 4 claims, a release of any held slot, a departure of any
    /// waiter) under small limits, against the same invariants as the random runs.
    @Test(
        "invariants hold for every short sequence of steps",
        arguments: [
            SlotLimits(total: 2, reserved: 1, perOwner: 1, maxQueued: 2),
            SlotLimits(total: 3, reserved: 1, perOwner: 2, maxQueued: 1),
            SlotLimits(total: 1, reserved: 0, perOwner: 1, maxQueued: 3),
        ])
    func exhaustive(limits: SlotLimits) {
        let claims = [Self.admin, Self.member, Self.anonymous(1), Self.anonymous(2)]
        var explored = 0
        var failures = 0
        func check(_ s: SlotSchedule, held: [(UInt64, SlotClaim)]) -> Bool {
            guard s.running == held.count, s.running <= limits.total, s.runningOthers <= limits.unreserved else { return false }
            for owner in Set(held.map(\.1.owner)) where held.count(where: { $0.1.owner == owner }) > limits.perOwner {
                return false
            }
            return s.waiting.allSatisfy { !s.mayRun($0.claim) }
        }
        func explore(_ s: SlotSchedule, held: [(UInt64, SlotClaim)], next: UInt64, depth: Int) {
            explored += 1
            if !check(s, held: held) { failures += 1 }
            guard depth > 0 else { return }
            for claim in claims {
                var t = s
                var h = held
                if t.arrive(next, claim) == .granted { h.append((next, claim)) }
                explore(t, held: h, next: next + 1, depth: depth - 1)
            }
            for index in held.indices {
                var t = s
                var h = held
                let (_, claim) = h.remove(at: index)
                for id in t.release(claim) {
                    guard let waiter = s.waiting.first(where: { $0.id == id }) else { failures += 1; continue }
                    h.append((id, waiter.claim))
                }
                explore(t, held: h, next: next, depth: depth - 1)
            }
            for waiter in s.waiting {
                var t = s
                t.leave(waiter.id)
                explore(t, held: held, next: next, depth: depth - 1)
            }
        }
        explore(SlotSchedule(limits: limits), held: [], next: 1, depth: 6)
        #expect(failures == 0, "\(failures) of \(explored) states break an invariant")
        #expect(explored > 1000)
    }
}

/// A small deterministic generator for property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
