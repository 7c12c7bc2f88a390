import DehubCore
import Synchronization

/// One watcher's side of the hub: its snapshot, then the changes of its repositories as they are published, in
/// a bounded queue. The hub never waits for it: a change that finds the queue full drops the watcher (its stream
/// ends with an `error` saying why), so a slow reader costs at most its own queue and never slows a push.
public final class RefSubscription: AsyncSequence, Sendable {
    public typealias Element = Item

    public enum Item: Hashable, Sendable {
        case message(RefStreamMessage)
        /// Time for a keep-alive (an SSE comment, a `KEEPALIVE` line): the connection is idle, not dead.
        case keepAlive
    }

    private struct State {
        /// The snapshot and `ready`, last first (taken with `popLast`); not counted against the capacity.
        var initial: [Item]
        var live: [Item] = []
        var liveHead = 0
        var keepAliveQueued = false
        var ending: Item??
        var waiter: CheckedContinuation<Item?, Never>?
        var onEnd: (@Sendable () -> Void)?
        var ended = false
    }

    public let id: UInt64
    public let repos: [String]
    let started: ContinuousClock.Instant
    private let capacity: Int
    private let state: Mutex<State>
    private let onCancel: @Sendable (UInt64) -> Void

    init(id: UInt64, repos: [String], initial: [Item], capacity: Int, onCancel: @escaping @Sendable (UInt64) -> Void) {
        self.id = id
        self.repos = repos
        self.started = .now
        self.capacity = capacity
        self.state = Mutex(State(initial: initial.reversed()))
        self.onCancel = onCancel
    }

    // MARK: the hub's side (never blocks)

    /// Queues a change; false when the queue is full (the hub then drops the watcher).
    func enqueue(_ item: Item) -> Bool {
        enum Outcome { case queued, full, handOver(CheckedContinuation<Item?, Never>) }
        let outcome: Outcome = state.withLock { s in
            guard s.ending == nil else { return .queued }
            // A reader waits only when nothing is queued.
            if let waiter = s.waiter {
                s.waiter = nil
                return .handOver(waiter)
            }
            guard s.live.count - s.liveHead < capacity else { return .full }
            s.live.append(item)
            return .queued
        }
        switch outcome {
        case .queued: return true
        case .full: return false
        case .handOver(let waiter):
            waiter.resume(returning: item)
            return true
        }
    }

    /// A keep-alive, unless one is already waiting or the watcher has changes to read (they keep it alive).
    func keepAlive() {
        let waiter: CheckedContinuation<Item?, Never>? = state.withLock { s in
            guard s.ending == nil, !s.keepAliveQueued, s.liveHead == s.live.count, s.initial.isEmpty else {
                return nil
            }
            if let waiter = s.waiter {
                s.waiter = nil
                return waiter
            }
            s.keepAliveQueued = true
            return nil
        }
        waiter?.resume(returning: .keepAlive)
    }

    /// Ends the stream: what is queued is thrown away, `final` (if any) is the last item, then the end.
    func end(with final: RefStreamMessage?) {
        let (waiter, onEnd): (CheckedContinuation<Item?, Never>?, (@Sendable () -> Void)?) = state.withLock { s in
            guard s.ending == nil else { return (nil, nil) }
            s.ending = .some(final.map { .message($0) })
            s.live = []
            s.liveHead = 0
            s.initial = []
            let onEnd = s.onEnd
            s.onEnd = nil
            guard let waiter = s.waiter else { return (nil, onEnd) }
            s.waiter = nil
            return (waiter, onEnd)
        }
        if let waiter { waiter.resume(returning: takeEnding()) }
        onEnd?()
    }

    // MARK: the transport's side

    /// Called once when the hub ends the stream (dropped, shutting down): the transport may close the
    /// connection if its writer is stuck on a client that stopped reading.
    public func setOnEnd(_ action: @escaping @Sendable () -> Void) {
        let endedAlready = state.withLock { s -> Bool in
            if s.ending != nil { return true }
            s.onEnd = action
            return false
        }
        if endedAlready { action() }
    }

    /// The watcher is gone (the client closed the connection): the hub forgets it.
    public func cancel() {
        end(with: nil)
        onCancel(id)
    }

    /// The next item if one is ready, without waiting.
    func takeNow() -> Item? { state.withLock { Self.take(&$0) } }

    public func next() async -> Item? {
        if let item = takeNow() { return item }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Item?, Never>) in
                let ready: Item?? = state.withLock { s in
                    if let item = Self.take(&s) { return .some(item) }
                    if s.ended || Task.isCancelled { return .some(nil) }
                    s.waiter = continuation
                    return .none
                }
                if case .some(let item) = ready { continuation.resume(returning: item) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Item?, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume(returning: nil)
        }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(subscription: self) }

    public struct Iterator: AsyncIteratorProtocol {
        let subscription: RefSubscription
        public mutating func next() async -> Item? { await subscription.next() }
    }

    /// How many changes wait to be read (for the hub's accounting and tests).
    var queued: Int { state.withLock { $0.live.count - $0.liveHead } }

    private func takeEnding() -> Item? { state.withLock { Self.takeEnding(&$0) } }

    private static func takeEnding(_ s: inout State) -> Item? {
        guard !s.ended, let ending = s.ending else { return nil }
        s.ended = true
        return ending
    }

    private static func take(_ s: inout State) -> Item? {
        if let item = s.initial.popLast() { return item }
        if s.liveHead < s.live.count {
            let item = s.live[s.liveHead]
            s.liveHead += 1
            if s.liveHead == s.live.count {
                s.live.removeAll(keepingCapacity: s.live.count <= 64)
                s.liveHead = 0
            } else if s.liveHead > 256, s.liveHead * 2 > s.live.count {
                s.live.removeFirst(s.liveHead)
                s.liveHead = 0
            }
            return item
        }
        if s.keepAliveQueued {
            s.keepAliveQueued = false
            return .keepAlive
        }
        if s.ending != nil { return takeEnding(&s) }
        return nil
    }
}

extension RefSubscription {
    /// What is ready to be read at once, without waiting (up to `limit` items): writers batch them into one write.
    public func available(limit: Int) -> [Item] {
        var items: [Item] = []
        while items.count < limit, let item = takeNow() { items.append(item) }
        return items
    }
}
