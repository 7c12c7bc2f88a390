import Synchronization

/// Caps the number of git processes running at once. A request over the cap waits in a bounded
/// first-come queue for at most `maxWait`; when the queue is full, or the wait runs out, it is refused
/// with a clear error. A burst (64 clones at once) is served; a flood cannot queue up without bound.
public final class ProcessLimiter: Sendable {
    public let limit: Int
    public let maxQueued: Int
    public let maxWait: Duration

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var running = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
        /// Waits announced but not queued yet, and those of them given up (cancelled or timed out) meanwhile.
        var announced: Set<UInt64> = []
        var abandoned: Set<UInt64> = []
    }

    private let state = Mutex(State())

    public init(limit: Int, maxQueued: Int = 0, maxWait: Duration = .seconds(30)) {
        self.limit = limit
        self.maxQueued = maxQueued
        self.maxWait = maxWait
    }

    public var current: Int { state.withLock { $0.running } }
    public var queued: Int { state.withLock { $0.waiters.count } }

    private var busy: HostError {
        HostError(.refused, "the host is busy: \(limit) git processes are running and \(maxQueued) requests are waiting; try again in a moment")
    }

    /// Takes a slot, waiting in the queue when all are in use; throws `HostError` (refused) when the queue
    /// is full or the wait runs out, and `CancellationError` when the caller goes away while waiting.
    public func acquire() async throws -> Permit {
        enum First { case granted, refused, wait(UInt64) }
        let first = state.withLock { s -> First in
            if s.running < limit, s.waiters.isEmpty {
                s.running += 1
                return .granted
            }
            guard s.waiters.count < maxQueued else { return .refused }
            s.nextID += 1
            s.announced.insert(s.nextID)
            return .wait(s.nextID)
        }
        switch first {
        case .granted: return Permit(limiter: self)
        case .refused: throw busy
        case .wait(let id):
            let timer = Task { [maxWait] in
                try await Task.sleep(for: maxWait)
                self.abandon(id, with: self.busy)
            }
            defer { timer.cancel() }
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    enum Enqueue { case queued, granted, refused, abandoned }
                    let outcome = state.withLock { s -> Enqueue in
                        s.announced.remove(id)
                        if s.abandoned.remove(id) != nil { return .abandoned }
                        if s.running < limit, s.waiters.isEmpty {
                            s.running += 1
                            return .granted
                        }
                        guard s.waiters.count < maxQueued else { return .refused }
                        s.waiters.append(Waiter(id: id, continuation: continuation))
                        return .queued
                    }
                    switch outcome {
                    case .queued: break
                    case .granted: continuation.resume()
                    case .refused: continuation.resume(throwing: busy)
                    case .abandoned: continuation.resume(throwing: Task.isCancelled ? CancellationError() : busy)
                    }
                }
            } onCancel: {
                self.abandon(id, with: CancellationError())
            }
            return Permit(limiter: self)
        }
    }

    /// Ends the wait of `id` with `error`, whether or not it is queued yet.
    private func abandon(_ id: UInt64, with error: any Error) {
        let waiter = state.withLock { s -> Waiter? in
            if let index = s.waiters.firstIndex(where: { $0.id == id }) { return s.waiters.remove(at: index) }
            // Not queued yet: the enqueue step sees it. Already granted: nothing to do.
            if s.announced.contains(id) { s.abandoned.insert(id) }
            return nil
        }
        waiter?.continuation.resume(throwing: error)
    }

    /// Hands the slot to the first waiter, or frees it.
    fileprivate func release() {
        let next = state.withLock { s -> Waiter? in
            if !s.waiters.isEmpty { return s.waiters.removeFirst() }
            s.running -= 1
            return nil
        }
        next?.continuation.resume()
    }

    /// A slot, released exactly once.
    public final class Permit: Sendable {
        private let limiter: ProcessLimiter
        private let released = Mutex(false)

        fileprivate init(limiter: ProcessLimiter) { self.limiter = limiter }

        public func release() {
            let first = released.withLock { done -> Bool in
                defer { done = true }
                return !done
            }
            if first { limiter.release() }
        }

        deinit { release() }
    }
}
