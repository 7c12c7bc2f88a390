import DehubHost
import Testing

@Suite("Git process limit and queue")
struct ProcessLimiterTests {
    @Test func grantsUpToTheLimitAtOnce() async throws {
        let limiter = ProcessLimiter(limit: 2)
        let a = try await limiter.acquire()
        let b = try await limiter.acquire()
        #expect(limiter.current == 2)
        a.release()
        b.release()
        b.release()  // a permit releases once
        #expect(limiter.current == 0)
    }

    @Test func withoutAQueueARequestOverTheLimitIsRefused() async throws {
        let limiter = ProcessLimiter(limit: 1, maxQueued: 0)
        let held = try await limiter.acquire()
        await #expect(throws: HostError.self) { _ = try await limiter.acquire() }
        held.release()
        _ = try await limiter.acquire()
    }

    @Test func aQueuedRequestGetsTheSlotWhenItIsReleased() async throws {
        let limiter = ProcessLimiter(limit: 1, maxQueued: 1, maxWait: .seconds(60))
        let held = try await limiter.acquire()
        let waiting = Task { try await limiter.acquire() }
        while limiter.queued == 0 { await Task.yield() }
        // The queue is full: the next one is refused with the busy message.
        do {
            _ = try await limiter.acquire()
            Issue.record("expected a refusal")
        } catch let error as HostError {
            #expect(error.message.contains("the host is busy"))
        }
        held.release()
        let granted = try await waiting.value
        #expect(limiter.current == 1)
        #expect(limiter.queued == 0)
        granted.release()
        #expect(limiter.current == 0)
    }

    @Test func aWaitThatRunsOutIsRefused() async throws {
        let limiter = ProcessLimiter(limit: 1, maxQueued: 4, maxWait: .milliseconds(50))
        let held = try await limiter.acquire()
        await #expect(throws: HostError.self) { _ = try await limiter.acquire() }
        #expect(limiter.queued == 0)
        held.release()
        #expect(limiter.current == 0)
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let limiter = ProcessLimiter(limit: 1, maxQueued: 4, maxWait: .seconds(60))
        let held = try await limiter.acquire()
        let waiting = Task { try await limiter.acquire() }
        while limiter.queued == 0 { await Task.yield() }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiting.value }
        #expect(limiter.queued == 0)
        held.release()
        #expect(limiter.current == 0)
    }

    @Test func manyWaitersAreServedInOrder() async throws {
        let limiter = ProcessLimiter(limit: 2, maxQueued: 64, maxWait: .seconds(60))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    let permit = try await limiter.acquire()
                    await Task.yield()
                    permit.release()
                }
            }
            try await group.waitForAll()
        }
        #expect(limiter.current == 0)
        #expect(limiter.queued == 0)
    }

    @Test func aWaitingAdminGoesBeforeEarlierAnonymousWaiters() async throws {
        let limiter = ProcessLimiter(limits: SlotLimits(total: 1, reserved: 0, perOwner: 4, maxQueued: 8), maxWait: .seconds(60))
        let anonymous = SlotClaim(owner: "anonymous@10.0.0.1", isPrivileged: false)
        let admin = SlotClaim(owner: "SHA256:admin", isPrivileged: true)
        let held = try await limiter.acquire(anonymous)
        let first = Task { try await limiter.acquire(anonymous) }
        while limiter.queued < 1 { await Task.yield() }
        let second = Task { try await limiter.acquire(admin) }
        while limiter.queued < 2 { await Task.yield() }
        held.release()
        let adminPermit = try await second.value
        #expect(adminPermit.claim == admin)
        #expect(limiter.queued == 1)
        adminPermit.release()
        try await first.value.release()
        #expect(limiter.current == 0)
    }

    @Test func theReserveIsLeftToAdminsAndMembers() async throws {
        let limiter = ProcessLimiter(limits: SlotLimits(total: 2, reserved: 1, perOwner: 4, maxQueued: 0), maxWait: .seconds(60))
        let held = try await limiter.acquire(SlotClaim(owner: "anonymous@a", isPrivileged: false))
        do {
            _ = try await limiter.acquire(SlotClaim(owner: "anonymous@b", isPrivileged: false))
            Issue.record("an anonymous request took the reserved slot")
        } catch let error as HostError {
            #expect(
                error.message == "the host is busy: 1 of 2 git processes are running and 0 requests are waiting, "
                    + "the most that may wait (max_queued_requests: 0); try again in a moment")
        }
        let member = try await limiter.acquire(SlotClaim(owner: "SHA256:member", isPrivileged: true))
        #expect(limiter.current == 2)
        member.release()
        held.release()
    }

    @Test func theTimeoutMessageNamesTheWait() async throws {
        let limiter = ProcessLimiter(limits: SlotLimits(total: 1, maxQueued: 4), maxWait: .milliseconds(50))
        let held = try await limiter.acquire()
        do {
            _ = try await limiter.acquire()
            Issue.record("expected a refusal")
        } catch let error as HostError {
            #expect(error.message.contains("no git process freed up for this request within"))
            #expect(error.message.contains("(queue_wait_seconds)"))
            #expect(error.message.contains("1 of 1 are running"))
        }
        held.release()
    }
}
