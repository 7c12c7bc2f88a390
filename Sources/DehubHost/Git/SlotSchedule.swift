/// Who asks for a git slot, as far as sharing goes.
public struct SlotClaim: Hashable, Sendable, CustomStringConvertible {
    /// The share this claim counts against: a key's fingerprint, or `anonymous@ADDRESS` for requests
    /// without a key (so one address cannot take every anonymous slot).
    public var owner: String
    /// Admins, and members and readers of the repository asked for: they may take the reserved slots,
    /// and they are served before everyone else when slots free up.
    public var isPrivileged: Bool

    public init(owner: String, isPrivileged: Bool) {
        self.owner = owner
        self.isPrivileged = isPrivileged
    }

    public var description: String { "\(owner)\(isPrivileged ? " (admin/member)" : "")" }
}

/// The numbers that share the git slots out.
public struct SlotLimits: Equatable, Sendable {
    /// Git processes at once, in total.
    public var total: Int
    /// Of `total`, how many only privileged claims may take.
    public var reserved: Int
    /// Git processes at once for one owner.
    public var perOwner: Int
    /// Waiting requests per class (privileged, others); past it a request is refused at once.
    public var maxQueued: Int

    public init(total: Int, reserved: Int = 0, perOwner: Int = .max, maxQueued: Int = 0) {
        self.total = max(1, total)
        self.reserved = min(max(0, reserved), self.total - 1)
        self.perOwner = max(1, perOwner)
        self.maxQueued = max(0, maxQueued)
    }

    /// What others (not privileged) may run at once.
    public var unreserved: Int { total - reserved }
}

/// Why a request did not get a git slot. Each names the limit it hit, with the numbers as they were.
public enum SlotRefusal: Error, Equatable, Sendable {
    /// The queue of the requester's class was full.
    case queueFull(running: Int, waiting: Int, limits: SlotLimits)
    /// The request waited `seconds` without a slot freeing up for it.
    case waitedTooLong(seconds: Int, running: Int, waiting: Int, limits: SlotLimits)

    public var message: String {
        switch self {
        case .queueFull(let running, let waiting, let limits):
            "the host is busy: \(running) of \(limits.total) git processes are running and \(waiting) requests are "
                + "waiting, the most that may wait (max_queued_requests: \(limits.maxQueued)); try again in a moment"
        case .waitedTooLong(let seconds, let running, let waiting, let limits):
            "the host is busy: no git process freed up for this request within \(seconds) s (queue_wait_seconds); "
                + "\(running) of \(limits.total) are running and \(waiting) requests are waiting; try again in a moment"
        }
    }
}

/// The sharing of git slots, as a pure state machine (no clock, no tasks): requests arrive, leave the
/// queue (cancelled or timed out), and release their slot; each step says whom to admit.
///
/// Rules: at most `total` run; claims that are not privileged run at most `total - reserved` at once;
/// one owner runs at most `perOwner`. A request that may run now runs at once; otherwise it waits, and
/// when a slot frees the first waiting privileged request that may run goes first, then the first other
/// one. A waiter blocked only by its owner's share does not hold up those behind it.
public struct SlotSchedule: Sendable {
    public let limits: SlotLimits
    public private(set) var running = 0
    public private(set) var runningOthers = 0
    public private(set) var runningByOwner: [String: Int] = [:]
    /// Waiting requests, in arrival order.
    public private(set) var waiting: [(id: UInt64, claim: SlotClaim)] = []

    public init(limits: SlotLimits) { self.limits = limits }

    public enum Arrival: Equatable, Sendable {
        case granted
        case queued
        case refused(SlotRefusal)
    }

    public var waitingCount: Int { waiting.count }

    /// Whether `claim` may take a slot now.
    public func mayRun(_ claim: SlotClaim) -> Bool {
        guard running < limits.total, runningByOwner[claim.owner, default: 0] < limits.perOwner else { return false }
        return claim.isPrivileged || runningOthers < limits.unreserved
    }

    /// A request `id` arrives.
    public mutating func arrive(_ id: UInt64, _ claim: SlotClaim) -> Arrival {
        if mayRun(claim) {
            take(claim)
            return .granted
        }
        let sameClass = waiting.count(where: { $0.claim.isPrivileged == claim.isPrivileged })
        guard sameClass < limits.maxQueued else {
            return .refused(.queueFull(running: running, waiting: waiting.count, limits: limits))
        }
        waiting.append((id, claim))
        return .queued
    }

    /// Request `id` stops waiting (cancelled, timed out). False when it was not waiting (already granted).
    @discardableResult
    public mutating func leave(_ id: UInt64) -> Bool {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return false }
        waiting.remove(at: index)
        return true
    }

    /// A slot held by `claim` is freed; returns the waiters that now run, in order.
    public mutating func release(_ claim: SlotClaim) -> [UInt64] {
        precondition(running > 0, "release without a running slot")
        running -= 1
        if !claim.isPrivileged { runningOthers -= 1 }
        let left = runningByOwner[claim.owner, default: 1] - 1
        runningByOwner[claim.owner] = left > 0 ? left : nil
        return dispatch()
    }

    /// The refusal a waiter gets when its time runs out.
    public func timedOut(after seconds: Int) -> SlotRefusal {
        .waitedTooLong(seconds: seconds, running: running, waiting: waiting.count, limits: limits)
    }

    private mutating func take(_ claim: SlotClaim) {
        running += 1
        if !claim.isPrivileged { runningOthers += 1 }
        runningByOwner[claim.owner, default: 0] += 1
    }

    /// Admits waiters while one may run: privileged ones first, each class in arrival order.
    private mutating func dispatch() -> [UInt64] {
        var admitted: [UInt64] = []
        while let index = waiting.firstIndex(where: { $0.claim.isPrivileged && mayRun($0.claim) })
            ?? waiting.firstIndex(where: { !$0.claim.isPrivileged && mayRun($0.claim) })
        {
            let next = waiting.remove(at: index)
            take(next.claim)
            admitted.append(next.id)
        }
        return admitted
    }
}
