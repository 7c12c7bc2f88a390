import Testing

@testable import DehubCore

/// Coalescing, backoff and the watcher's table of refs, with time and randomness passed in.
@Suite struct EventsClientStateTests {
    let t0 = ContinuousClock.now

    @Test func changesInOneWindowShareALine() {
        var c = ChangeCoalescer<ContinuousClock.Instant>(window: .milliseconds(50))
        let r1 = c.add(remote: "origin", ref: "refs/heads/main", at: t0)
        #expect(r1 == t0 + .milliseconds(50))
        let r2 = c.add(remote: "origin", ref: "refs/heads/x", at: t0 + .milliseconds(10))
        #expect(r2 == t0 + .milliseconds(50))
        c.add(remote: "origin", ref: "refs/heads/main", at: t0 + .milliseconds(20))
        c.add(remote: "up", ref: "refs/heads/main", at: t0 + .milliseconds(30))
        #expect(c.nextDeadline == t0 + .milliseconds(50))
        let r3 = c.due(at: t0 + .milliseconds(49))
        #expect(r3.isEmpty)
        let r4 = c.due(at: t0 + .milliseconds(50))
        #expect(r4 == [.changed(remote: "origin", refs: ["refs/heads/main", "refs/heads/x"])])
        #expect(c.nextDeadline == t0 + .milliseconds(80))
        // A change after the window opens a new one.
        c.add(remote: "origin", ref: "refs/heads/main", at: t0 + .milliseconds(60))
        let r5 = c.due(at: t0 + .milliseconds(80))
        #expect(r5 == [.changed(remote: "up", refs: ["refs/heads/main"])])
        let r6 = c.due(at: t0 + .milliseconds(110))
        #expect(r6 == [.changed(remote: "origin", refs: ["refs/heads/main"])])
        #expect(c.nextDeadline == nil)
    }

    @Test func flushGivesEverythingPending() {
        var c = ChangeCoalescer<ContinuousClock.Instant>()
        c.add(remote: "a", ref: "refs/heads/1", at: t0)
        c.add(remote: "b", ref: "refs/heads/2", at: t0)
        let r7 = c.flush()
        #expect(r7 == [.changed(remote: "a", refs: ["refs/heads/1"]), .changed(remote: "b", refs: ["refs/heads/2"])])
        let r8 = c.flush()
        #expect(r8.isEmpty)
    }

    @Test func backoffDoublesUpToItsMaximumAndResets() {
        var b = ReconnectBackoff(initial: .seconds(1), maximum: .seconds(10), jitter: 0.5)
        #expect((0..<6).map { _ in b.next(random: 0) } == [1, 2, 4, 8, 10, 10].map { Duration.seconds($0) })
        b.reset()
        let r9 = b.next(random: 0)
        #expect(r9 == .seconds(1))
        // Jitter shortens by up to its share.
        let r10 = b.next(random: 1)
        #expect(r10 == .seconds(1))
        let r11 = b.next(random: 0.5)
        #expect(r11 == .seconds(3))
    }

    @Test func backoffHonoursTheServersRetry() {
        var b = ReconnectBackoff(initial: .milliseconds(500), maximum: .seconds(2), jitter: 0)
        b.serverAsked(milliseconds: 3000)
        let r12 = b.next(random: 0)
        #expect(r12 == .seconds(3))
        let r13 = b.next(random: 0)
        #expect(r13 == .seconds(3))
        b.serverAsked(milliseconds: -5)
        let r14 = b.next(random: 0)
        #expect(r14 == .seconds(3))
    }

    @Test func backoffNeverOverflows() {
        var b = ReconnectBackoff(initial: .seconds(1), maximum: .seconds(60), jitter: 0)
        for _ in 0..<200 { _ = b.next(random: 0) }
        let r15 = b.next(random: 0)
        #expect(r15 == .seconds(60))
    }

    static let a = String(repeating: "a", count: 40)
    static let b = String(repeating: "b", count: 40)
    static let c = String(repeating: "c", count: 40)
    static let zero = String(repeating: "0", count: 40)
    static func event(_ ref: String, _ old: String, _ new: String) -> RefEvent {
        RefEvent(repo: "demo", ref: ref, old: old, new: new, id: RefEventID(instance: "0123456789abcdef", sequence: 1)!)
    }

    @Test func theFirstSnapshotReportsNothingALaterOneReportsTheDifference() {
        var table = RefTable()
        table.beginSnapshot()
        let r16 = table.snapshot(repo: "demo", ref: "refs/heads/main", oid: Self.a)
        #expect(r16)
        let r17 = table.snapshot(repo: "demo", ref: "refs/heads/gone", oid: Self.a)
        #expect(r17)
        let r18 = table.ready(replayed: false)
        #expect(r18.isEmpty)
        #expect(table.isKnown)
        table.beginSnapshot()
        _ = table.snapshot(repo: "demo", ref: "refs/heads/main", oid: Self.b)
        _ = table.snapshot(repo: "demo", ref: "refs/heads/new", oid: Self.c)
        #expect(
            table.ready(replayed: false).map(\.ref) == ["refs/heads/gone", "refs/heads/main", "refs/heads/new"])
        // The same snapshot again: nothing.
        table.beginSnapshot()
        _ = table.snapshot(repo: "demo", ref: "refs/heads/main", oid: Self.b)
        _ = table.snapshot(repo: "demo", ref: "refs/heads/new", oid: Self.c)
        let r19 = table.ready(replayed: false)
        #expect(r19.isEmpty)
    }

    @Test func changesAlreadyKnownAreNotReportedAgain() {
        var table = RefTable()
        table.beginSnapshot()
        _ = table.snapshot(repo: "demo", ref: "refs/heads/main", oid: Self.a)
        _ = table.ready(replayed: false)
        let r20 = table.change(Self.event("refs/heads/main", Self.a, Self.b))
        #expect(r20)
        let r21 = table.change(Self.event("refs/heads/main", Self.a, Self.b))
        #expect(!r21)
        let r22 = table.change(Self.event("refs/heads/main", Self.b, Self.zero))
        #expect(r22)
        let r23 = table.change(Self.event("refs/heads/main", Self.b, Self.zero))
        #expect(!r23)
        #expect(table.refs.isEmpty)
    }

    @Test func aReplayKeepsTheTable() {
        var table = RefTable()
        table.beginSnapshot()
        _ = table.snapshot(repo: "demo", ref: "refs/heads/main", oid: Self.a)
        _ = table.ready(replayed: false)
        table.beginSnapshot()
        let r24 = table.change(Self.event("refs/heads/main", Self.a, Self.b))
        #expect(r24)
        let r25 = table.ready(replayed: true)
        #expect(r25.isEmpty)
        #expect(table.refs[.init(repo: "demo", ref: "refs/heads/main")] == Self.b)
    }

    @Test func snapshotLinesOutOfOrderAreRefused() {
        var table = RefTable()
        let r26 = table.snapshot(repo: "demo", ref: "refs/heads/main", oid: Self.a)
        #expect(!r26)
        table.beginSnapshot()
        table.abandon()
        let r27 = table.snapshot(repo: "demo", ref: "refs/heads/main", oid: Self.a)
        #expect(!r27)
    }
}
