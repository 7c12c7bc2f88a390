import DehubCore
import Logging
import Synchronization

/// The host's stream of ref changes: after every push (`refresh`) and in a reconciliation scan (`scan`) it
/// compares a watched repository's refs with what it knew and publishes one `RefEvent` per ref that moved, with
/// increasing ids. Watchers `subscribe`: a snapshot of their repositories' refs, `ready`, then the changes; one
/// that reconnects with the last id it saw gets what it missed from the replay buffer, or a fresh snapshot when
/// the buffer no longer reaches back (or the host restarted: ids carry the instance).
///
/// Only repositories someone watches (or watched since the start) are read: a push to a repository nobody
/// watches costs nothing. In-process users (host mirrors, a cluster) subscribe like any watcher, and may
/// `publish` refs they set themselves.
public final class RefEventHub: Sendable {
    public let settings: RefEventSettings
    public let instance: String
    private let reader: RefReader
    private let logger: Logger
    private let state: Mutex<State>

    private struct Tracked {
        var refs: [String: String]
        /// Reads are numbered when they start; an older read never overwrites a newer one.
        var appliedTicket: UInt64
        /// False until the first read lands (it is the baseline: no events).
        var known = true
    }

    private struct State {
        var sequence: UInt64 = 0
        var tickets: UInt64 = 0
        var repos: [String: Tracked] = [:]
        var replay: [RefEvent] = []
        var replayHead = 0
        var subscribers: [UInt64: RefSubscription] = [:]
        var byRepo: [String: Set<UInt64>] = [:]
        var nextSubscriber: UInt64 = 0
        var stopped = false
    }

    public init(settings: RefEventSettings, logger: Logger, instance: String? = nil) {
        self.settings = settings
        self.logger = logger
        self.reader = RefReader()
        self.instance = instance ?? Self.randomInstance()
        self.state = Mutex(State())
    }

    static func randomInstance() -> String {
        let value = UInt64.random(in: 0...UInt64.max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The id of the last event published (sequence 0 before the first).
    public var lastID: RefEventID { RefEventID(instance: instance, sequence: state.withLock { $0.sequence })! }

    public var watcherCount: Int { state.withLock { $0.subscribers.count } }

    // MARK: - publishing

    /// After a push to `repo` (at `path`) ended, or whenever its refs may have moved: read them and publish what
    /// changed. Nothing happens for a repository nobody watches.
    public func refresh(repo: String, path: String) async {
        guard
            let ticket = state.withLock({ s -> UInt64? in
                guard s.repos[repo] != nil, !s.stopped else { return nil }
                s.tickets += 1
                return s.tickets
            })
        else { return }
        do {
            let refs = try await reader.refs(repoPath: path)
            apply(repo: repo, refs: refs, ticket: ticket)
        } catch {
            guard !FileIO.exists(path) else {
                logger.warning("events: cannot read refs", metadata: ["repo": "\(repo)", "error": "\(error)"])
                return
            }
            forget(repo: repo, reason: "the repository \(repo) no longer exists")
        }
    }

    /// Sets a repository's refs as an in-process writer knows them, publishing what changed (a repository not
    /// watched yet starts being watched with these refs, without events).
    public func publish(repo: String, refs: [String: String]) {
        let ticket = state.withLock { s -> UInt64 in
            s.tickets += 1
            if s.repos[repo] == nil { s.repos[repo] = Tracked(refs: [:], appliedTicket: 0, known: false) }
            return s.tickets
        }
        apply(repo: repo, refs: refs, ticket: ticket)
    }

    /// The reconciliation scan: every watched repository read again (`paths` maps a name to its directory; a
    /// name it cannot map is forgotten).
    public func scan(path: (String) -> String?) async {
        let repos = state.withLock { Array($0.repos.keys) }.sorted()
        for repo in repos {
            guard !Task.isCancelled else { return }
            guard let directory = path(repo) else {
                forget(repo: repo, reason: "the repository \(repo) no longer exists")
                continue
            }
            await refresh(repo: repo, path: directory)
        }
    }

    private func apply(repo: String, refs: [String: String], ticket: UInt64) {
        var dropped: [RefSubscription] = []
        state.withLock { s in
            guard var tracked = s.repos[repo], ticket >= tracked.appliedTicket else { return }
            guard tracked.known else {
                s.repos[repo] = Tracked(refs: refs, appliedTicket: ticket)
                return
            }
            let names = Set(tracked.refs.keys).union(refs.keys).sorted()
            var events: [RefEvent] = []
            for ref in names where tracked.refs[ref] != refs[ref] {
                let sample = refs[ref] ?? tracked.refs[ref] ?? ""
                s.sequence += 1
                events.append(
                    RefEvent(
                        repo: repo, ref: ref, old: tracked.refs[ref] ?? RefEventText.zero(like: sample),
                        new: refs[ref] ?? RefEventText.zero(like: sample),
                        id: RefEventID(instance: instance, sequence: s.sequence)!))
            }
            tracked.refs = refs
            tracked.appliedTicket = ticket
            s.repos[repo] = tracked
            guard !events.isEmpty else { return }
            s.replay.append(contentsOf: events)
            let retained = s.replay.count - s.replayHead
            if retained > settings.replayEvents { s.replayHead += retained - settings.replayEvents }
            if s.replayHead > 1024, s.replayHead * 2 > s.replay.count {
                s.replay.removeFirst(s.replayHead)
                s.replayHead = 0
            }
            for id in s.byRepo[repo] ?? [] {
                guard let subscriber = s.subscribers[id] else { continue }
                for event in events where !subscriber.enqueue(.message(.change(event))) {
                    dropped.append(subscriber)
                    Self.remove(id, from: &s)
                    break
                }
            }
        }
        for subscriber in dropped {
            logger.info("events: watcher dropped (too slow)", metadata: ["watcher": "\(subscriber.id)"])
            subscriber.end(
                with: .error(
                    "this watcher fell more than \(settings.watcherBuffer) changes behind (events_watcher_buffer) and was dropped; reconnect"
                ))
        }
    }

    private func forget(repo: String, reason: String) {
        let ended = state.withLock { s -> [RefSubscription] in
            s.repos[repo] = nil
            let ids = s.byRepo[repo] ?? []
            let subscribers = ids.compactMap { s.subscribers[$0] }
            for id in ids { Self.remove(id, from: &s) }
            return subscribers
        }
        for subscriber in ended { subscriber.end(with: .error(reason)) }
    }

    // MARK: - subscribing

    /// Why a watcher is not served.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case tooManyWatchers(Int)
        case shuttingDown

        public var description: String {
            switch self {
            case .tooManyWatchers(let limit):
                "the host serves its maximum of \(limit) watchers (events_max_watchers); try again later"
            case .shuttingDown: "the host is shutting down; try again shortly"
            }
        }
    }

    /// A watcher of `repos` (name → directory; the caller checked read access): a snapshot and `ready`, or after
    /// `lastEventID` what it missed and `ready`, then the changes.
    public func subscribe(repos: [(name: String, path: String)], lastEventID: String?) async -> Result<
        RefSubscription, Refusal
    > {
        if let refusal = state.withLock({ s in admissionRefusal(s) }) { return .failure(refusal) }
        // Start watching repositories nobody watched yet: their refs as they are now are the baseline.
        // Marked as watched before the read, so that a push ending meanwhile reads the refs too (the newer read wins);
        // a repository another watcher is still reading for the first time is read here too.
        for repo in repos {
            let ticket = state.withLock { s -> UInt64? in
                guard s.repos[repo.name]?.known != true else { return nil }
                s.tickets += 1
                if s.repos[repo.name] == nil { s.repos[repo.name] = Tracked(refs: [:], appliedTicket: 0, known: false) }
                return s.tickets
            }
            guard let ticket else { continue }
            let refs = (try? await reader.refs(repoPath: repo.path)) ?? [:]
            apply(repo: repo.name, refs: refs, ticket: ticket)
        }
        let names = repos.map(\.name)
        let after = lastEventID.flatMap { RefEventID($0) }
        return state.withLock { s -> Result<RefSubscription, Refusal> in
            if let refusal = admissionRefusal(s) { return .failure(refusal) }
            var initial: [RefSubscription.Item] = []
            let current = RefEventID(instance: instance, sequence: s.sequence)!
            if let replayed = replay(after: after, repos: Set(names), s) {
                initial = replayed.map { .message(.change($0)) } + [.message(.ready(id: current, replayed: true))]
            } else {
                for name in names {
                    for (ref, oid) in (s.repos[name]?.refs ?? [:]).sorted(by: { $0.key < $1.key }) {
                        initial.append(.message(.snapshot(repo: name, ref: ref, oid: oid)))
                    }
                }
                initial.append(.message(.ready(id: current, replayed: false)))
            }
            s.nextSubscriber += 1
            let id = s.nextSubscriber
            let subscription = RefSubscription(
                id: id, repos: names, initial: initial, capacity: settings.watcherBuffer,
                onCancel: { [weak self] id in self?.unsubscribe(id) })
            s.subscribers[id] = subscription
            for name in names { s.byRepo[name, default: []].insert(id) }
            return .success(subscription)
        }
    }

    private func admissionRefusal(_ s: State) -> Refusal? {
        if s.stopped { return .shuttingDown }
        if s.subscribers.count >= settings.maxWatchers { return .tooManyWatchers(settings.maxWatchers) }
        return nil
    }

    /// The changes after `after` for `repos`, when the buffer still holds every event since it; nil otherwise.
    private func replay(after: RefEventID?, repos: Set<String>, _ s: State) -> [RefEvent]? {
        guard let after, after.instance == instance, after.sequence <= s.sequence else { return nil }
        let oldest = s.replayHead < s.replay.count ? s.replay[s.replayHead].id.sequence : s.sequence + 1
        guard after.sequence + 1 >= oldest else { return nil }
        return s.replay[s.replayHead...].filter { $0.id.sequence > after.sequence && repos.contains($0.repo) }
    }

    private func unsubscribe(_ id: UInt64) {
        state.withLock { s in Self.remove(id, from: &s) }
    }

    private static func remove(_ id: UInt64, from s: inout State) {
        guard let subscription = s.subscribers.removeValue(forKey: id) else { return }
        for name in subscription.repos {
            s.byRepo[name]?.remove(id)
            if s.byRepo[name]?.isEmpty == true { s.byRepo[name] = nil }
        }
    }

    // MARK: - upkeep

    /// Keep-alives to every watcher, and the end of streams past their maximum age (their clients reconnect, and
    /// their access is checked again).
    public func tick(now: ContinuousClock.Instant = .now) {
        let maxAge = Duration.seconds(settings.maxStreamSeconds)
        let (all, expired) = state.withLock { s -> ([RefSubscription], [RefSubscription]) in
            let all = Array(s.subscribers.values)
            let expired = all.filter { now - $0.started >= maxAge }
            for subscription in expired { Self.remove(subscription.id, from: &s) }
            return (all, expired)
        }
        for subscription in expired { subscription.end(with: nil) }
        for subscription in all { subscription.keepAlive() }
    }

    /// Stops taking watchers and ends every stream (the host shuts down).
    public func shutDown() {
        let all = state.withLock { s -> [RefSubscription] in
            s.stopped = true
            let all = Array(s.subscribers.values)
            s.subscribers = [:]
            s.byRepo = [:]
            return all
        }
        for subscription in all { subscription.end(with: .error(Refusal.shuttingDown.description)) }
    }
}
