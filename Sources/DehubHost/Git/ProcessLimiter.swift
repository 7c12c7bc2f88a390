import Synchronization

/// Caps the number of git processes running at once. Acquiring never waits: a request over the
/// limit is refused at once with a clear error, so a flood cannot queue up without bound.
public final class ProcessLimiter: Sendable {
    public let limit: Int
    private let running = Mutex(0)

    public init(limit: Int) { self.limit = limit }

    public var current: Int { running.withLock { $0 } }

    /// Takes a slot or throws `HostError` (refused) when all are in use.
    public func acquire() throws -> Permit {
        let granted = running.withLock { count -> Bool in
            guard count < limit else { return false }
            count += 1
            return true
        }
        guard granted else {
            throw HostError(.refused, "the host is busy: \(limit) git processes are running; try again in a moment")
        }
        return Permit(limiter: self)
    }

    fileprivate func release() { running.withLock { $0 -= 1 } }

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
