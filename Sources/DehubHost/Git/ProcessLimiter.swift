import Synchronization

/// Caps the number of git processes running at once and shares them out (`SlotSchedule`: a reserve for
/// admins and members, a share per owner, admins and members first in the queue). A request over its share
/// waits in a bounded queue for at most `maxWait`; when its queue is full, or the wait runs out, it is refused
/// with an error that names the limit. A burst (64 clones at once) is served; a flood cannot queue up without
/// bound, and anonymous requests cannot take the slots admins and members need.
public final class ProcessLimiter: Sendable {
    public let limits: SlotLimits
    public let maxWait: Duration

    public var limit: Int { limits.total }
    public var maxQueued: Int { limits.maxQueued }

    private struct State {
        var schedule: SlotSchedule
        var continuations: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var nextID: UInt64 = 0
        /// Waits announced but whose continuation is not stored yet, and those of them ended meanwhile (with why).
        var announced: Set<UInt64> = []
        var ended: [UInt64: any Error] = [:]
        var grantedEarly: Set<UInt64> = []
    }

    private let state: Mutex<State>

    /// A claim for callers that do not classify their requests (tools, tests): privileged, one shared owner.
    public static let unclassified = SlotClaim(owner: "", isPrivileged: true)

    public init(limits: SlotLimits, maxWait: Duration = .seconds(30)) {
        self.limits = limits
        self.maxWait = maxWait
        self.state = Mutex(State(schedule: SlotSchedule(limits: limits)))
    }

    public convenience init(limit: Int, maxQueued: Int = 0, maxWait: Duration = .seconds(30)) {
        self.init(limits: SlotLimits(total: limit, maxQueued: maxQueued), maxWait: maxWait)
    }

    public var current: Int { state.withLock { $0.schedule.running } }
    public var queued: Int { state.withLock { $0.schedule.waitingCount } }

    /// Takes a slot for an unclassified request.
    public func acquire() async throws -> Permit { try await acquire(Self.unclassified) }

    /// Takes a slot for `claim`, waiting in the queue when it may not run yet; throws `HostError` (refused,
    /// with the limit that was hit) when the queue is full or the wait runs out, and `CancellationError`
    /// when the caller goes away while waiting.
    public func acquire(_ claim: SlotClaim) async throws -> Permit {
        let (id, arrival) = state.withLock { s -> (UInt64, SlotSchedule.Arrival) in
            s.nextID += 1
            let arrival = s.schedule.arrive(s.nextID, claim)
            if arrival == .queued { s.announced.insert(s.nextID) }
            return (s.nextID, arrival)
        }
        switch arrival {
        case .granted: return Permit(limiter: self, claim: claim)
        case .refused(let refusal): throw HostError(.refused, refusal.message)
        case .queued: break
        }
        let seconds = Int(maxWait.components.seconds)
        let timer = Task { [maxWait] in
            try await Task.sleep(for: maxWait)
            self.end(id) { HostError(.refused, $0.timedOut(after: seconds).message) }
        }
        defer { timer.cancel() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Park { case parked, granted, ended(any Error) }
                let park = state.withLock { s -> Park in
                    s.announced.remove(id)
                    if s.grantedEarly.remove(id) != nil { return .granted }
                    if let error = s.ended.removeValue(forKey: id) { return .ended(error) }
                    s.continuations[id] = continuation
                    return .parked
                }
                switch park {
                case .parked: break
                case .granted: continuation.resume()
                case .ended(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            self.end(id) { _ in CancellationError() }
        }
        return Permit(limiter: self, claim: claim)
    }

    /// Ends the wait of `id` with an error, whether or not its continuation is parked yet; nothing when it was
    /// granted meanwhile.
    private func end(_ id: UInt64, _ error: (SlotSchedule) -> any Error) {
        let continuation = state.withLock { s -> (CheckedContinuation<Void, any Error>, any Error)? in
            guard s.schedule.leave(id) else { return nil }
            let why = error(s.schedule)
            if let continuation = s.continuations.removeValue(forKey: id) { return (continuation, why) }
            if s.announced.contains(id) { s.ended[id] = why }
            return nil
        }
        if let (continuation, why) = continuation { continuation.resume(throwing: why) }
    }

    /// Frees the slot of `claim` and wakes the waiters that may run now.
    fileprivate func release(_ claim: SlotClaim) {
        let wake = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            var wake: [CheckedContinuation<Void, any Error>] = []
            for id in s.schedule.release(claim) {
                if let continuation = s.continuations.removeValue(forKey: id) {
                    wake.append(continuation)
                } else {
                    s.grantedEarly.insert(id)
                }
            }
            return wake
        }
        for continuation in wake { continuation.resume() }
    }

    /// A slot, released exactly once.
    public final class Permit: Sendable {
        private let limiter: ProcessLimiter
        public let claim: SlotClaim
        private let released = Mutex(false)

        fileprivate init(limiter: ProcessLimiter, claim: SlotClaim) {
            self.limiter = limiter
            self.claim = claim
        }

        public func release() {
            let first = released.withLock { done -> Bool in
                defer { done = true }
                return !done
            }
            if first { limiter.release(claim) }
        }

        deinit { release() }
    }
}
