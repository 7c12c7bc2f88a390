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
}
