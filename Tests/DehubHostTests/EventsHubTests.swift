import DehubCore
import DehubTestSupport
import Logging
import Synchronization
import Testing

@testable import DehubHost

/// `RefEventHub` over real repositories (git for-each-ref), in process: the snapshot, publishing after a change,
/// replay by `Last-Event-ID`, a fresh snapshot when replay is impossible, the bounded queue and the watcher cap.
@Suite struct EventsHubTests {
    static func hub(_ change: (inout RefEventSettings) -> Void = { _ in }) -> RefEventHub {
        var settings = RefEventSettings()
        change(&settings)
        return RefEventHub(settings: settings, logger: Logger(label: "test"), instance: "0123456789abcdef")
    }

    static func repo() throws -> (GitFixture, String) {
        let fixture = try GitFixture.make()
        _ = try fixture.git("commit", "-q", "--allow-empty", "-m", "one")
        return (fixture, try fixture.git("rev-parse", "HEAD").trimmingSpaces())
    }

    static func take(_ subscription: RefSubscription, _ count: Int) async -> [RefSubscription.Item] {
        var items: [RefSubscription.Item] = []
        while items.count < count, let item = await subscription.next() { items.append(item) }
        return items
    }

    @Test func aWatcherGetsTheSnapshotReadyThenTheChanges() async throws {
        let (repo, first) = try Self.repo()
        let hub = Self.hub()
        let subscription = try #require(try? await hub.subscribe(repos: [("demo", repo.path)], lastEventID: nil).get())
        let start = await Self.take(subscription, 2)
        let ready = RefEventID(instance: "0123456789abcdef", sequence: 0)
        #expect(
            start == [
                .message(.snapshot(repo: "demo", ref: "refs/heads/main", oid: first)),
                .message(.ready(id: ready, replayed: false)),
            ])
        _ = try repo.git("commit", "-q", "--allow-empty", "-m", "two")
        let second = try repo.git("rev-parse", "HEAD").trimmingSpaces()
        _ = try repo.git("branch", "thread/x")
        await hub.refresh(repo: "demo", path: repo.path)
        let changes = await Self.take(subscription, 2)
        let id1 = RefEventID(instance: "0123456789abcdef", sequence: 1)!
        let id2 = RefEventID(instance: "0123456789abcdef", sequence: 2)!
        let zero = String(repeating: "0", count: 40)
        #expect(
            changes == [
                .message(.change(RefEvent(repo: "demo", ref: "refs/heads/main", old: first, new: second, id: id1))),
                .message(.change(RefEvent(repo: "demo", ref: "refs/heads/thread/x", old: zero, new: second, id: id2))),
            ])
        _ = try repo.git("branch", "-D", "thread/x")
        await hub.refresh(repo: "demo", path: repo.path)
        let deletion = await Self.take(subscription, 1)
        #expect(
            deletion == [
                .message(
                    .change(
                        RefEvent(
                            repo: "demo", ref: "refs/heads/thread/x", old: second, new: zero,
                            id: RefEventID(instance: "0123456789abcdef", sequence: 3)!)))
            ])
        // Nothing moved: nothing published.
        await hub.refresh(repo: "demo", path: repo.path)
        #expect(subscription.available(limit: 10).isEmpty)
        subscription.cancel()
        #expect(hub.watcherCount == 0)
    }

    @Test func aReconnectGetsWhatItMissedOrAFreshSnapshot() async throws {
        let (repo, _) = try Self.repo()
        let hub = Self.hub { $0.replayEvents = 2 }
        let first = try #require(try? await hub.subscribe(repos: [("demo", repo.path)], lastEventID: nil).get())
        _ = await Self.take(first, 2)
        first.cancel()
        for name in ["a", "b"] {
            _ = try repo.git("branch", name)
            await hub.refresh(repo: "demo", path: repo.path)
        }
        // From id 0: both changes are still in the buffer.
        let replay = try #require(try? await hub.subscribe(repos: [("demo", repo.path)], lastEventID: "0123456789abcdef-0").get())
        let replayed = await Self.take(replay, 3)
        #expect(replayed.count == 3)
        #expect(replayed.last == .message(.ready(id: RefEventID(instance: "0123456789abcdef", sequence: 2), replayed: true)))
        replay.cancel()
        _ = try repo.git("branch", "c")
        await hub.refresh(repo: "demo", path: repo.path)
        // The buffer keeps 2: from id 0 it no longer reaches back; another instance's id (a restart) neither.
        for stale in ["0123456789abcdef-0", "fedcba9876543210-3", "0123456789abcdef-99", "garbage"] {
            let fresh = try #require(try? await hub.subscribe(repos: [("demo", repo.path)], lastEventID: stale).get())
            let items = await Self.take(fresh, 5)
            #expect(items.count == 5, "\(stale)")
            #expect(items.last == .message(.ready(id: RefEventID(instance: "0123456789abcdef", sequence: 3), replayed: false)))
            fresh.cancel()
        }
        let recent = try #require(try? await hub.subscribe(repos: [("demo", repo.path)], lastEventID: "0123456789abcdef-2").get())
        #expect(await Self.take(recent, 2).count == 2)
        recent.cancel()
    }

    @Test func aSlowWatcherIsDroppedWithAMessageAndOthersKeepGoing() async throws {
        let (repo, _) = try Self.repo()
        let hub = Self.hub { $0.watcherBuffer = 2 }
        let slow = try #require(try? await hub.subscribe(repos: [("demo", repo.path)], lastEventID: nil).get())
        let fast = try #require(try? await hub.subscribe(repos: [("demo", repo.path)], lastEventID: nil).get())
        _ = await Self.take(fast, 2)
        let flag = Flag()
        slow.setOnEnd { flag.set() }
        for name in ["a", "b", "c"] {
            _ = try repo.git("branch", name)
            await hub.refresh(repo: "demo", path: repo.path)
            #expect(await Self.take(fast, 1).count == 1)
        }
        #expect(flag.isSet)
        let rest = await Self.take(slow, 10)
        guard case .message(.error(let text)) = rest.last else {
            Issue.record("no error at the end: \(rest)")
            return
        }
        #expect(text == "this watcher fell more than 2 changes behind (events_watcher_buffer) and was dropped; reconnect")
        #expect(hub.watcherCount == 1)
        fast.cancel()
    }

    @Test func pastTheCapAWatcherIsRefusedByName() async throws {
        let (repo, _) = try Self.repo()
        let hub = Self.hub { $0.maxWatchers = 1 }
        let one = try #require(try? await hub.subscribe(repos: [("demo", repo.path)], lastEventID: nil).get())
        let refused = await hub.subscribe(repos: [("demo", repo.path)], lastEventID: nil)
        #expect(refused.failureValue == .tooManyWatchers(1))
        #expect(
            RefEventHub.Refusal.tooManyWatchers(1).description
                == "the host serves its maximum of 1 watchers (events_max_watchers); try again later")
        one.cancel()
        let again = await hub.subscribe(repos: [("demo", repo.path)], lastEventID: nil)
        #expect(again.failureValue == nil)
        hub.shutDown()
        let after = await hub.subscribe(repos: [("demo", repo.path)], lastEventID: nil)
        #expect(after.failureValue == .shuttingDown)
    }

    @Test func shutdownEndsEveryStreamAndKeepAlivesFlow() async throws {
        let (repo, _) = try Self.repo()
        let hub = Self.hub()
        let subscription = try #require(try? await hub.subscribe(repos: [("demo", repo.path)], lastEventID: nil).get())
        _ = await Self.take(subscription, 2)
        hub.tick()
        hub.tick()
        #expect(await Self.take(subscription, 1) == [.keepAlive])
        #expect(subscription.available(limit: 5).isEmpty)
        hub.shutDown()
        let rest = await Self.take(subscription, 5)
        #expect(rest == [.message(.error("the host is shutting down; try again shortly"))])
    }

    @Test func aReposNotWatchedIsNotRead() async throws {
        let (repo, _) = try Self.repo()
        let hub = Self.hub()
        await hub.refresh(repo: "demo", path: repo.path)
        #expect(hub.lastID.sequence == 0)
        // The scan forgets a repository that is gone, and ends its watchers.
        let subscription = try #require(try? await hub.subscribe(repos: [("demo", repo.path)], lastEventID: nil).get())
        _ = await Self.take(subscription, 2)
        await hub.scan { _ in nil }
        #expect(await Self.take(subscription, 5) == [.message(.error("the repository demo no longer exists"))])
    }

    @Test func oneWatcherOfSeveralReposGetsEachOnesChangesAndNoOthers() async throws {
        let (a, tipA) = try Self.repo()
        let (b, tipB) = try Self.repo()
        let (c, _) = try Self.repo()
        let hub = Self.hub()
        let both = try #require(try? await hub.subscribe(repos: [("a", a.path), ("b", b.path)], lastEventID: nil).get())
        let other = try #require(try? await hub.subscribe(repos: [("c", c.path)], lastEventID: nil).get())
        let start = await Self.take(both, 3)
        #expect(
            Array(start.prefix(2)) == [
                .message(.snapshot(repo: "a", ref: "refs/heads/main", oid: tipA)),
                .message(.snapshot(repo: "b", ref: "refs/heads/main", oid: tipB)),
            ])
        _ = await Self.take(other, 2)
        _ = try b.git("branch", "x")
        await hub.refresh(repo: "b", path: b.path)
        let change = await Self.take(both, 1)
        guard case .message(.change(let event)) = change.first else {
            Issue.record("no change: \(change)")
            return
        }
        #expect([event.repo, event.ref] == ["b", "refs/heads/x"])
        #expect(other.available(limit: 5).isEmpty)
        both.cancel()
        other.cancel()
    }

    @Test func refsAreReadWithoutSymbolicOnes() {
        let a = String(repeating: "a", count: 40)
        let text = "\(a) refs/heads/main \n\(a) refs/remotes/origin/HEAD refs/remotes/origin/main\nbad line\n\(a) refs/tags/v1 \n"
        #expect(RefReader.parse(text) == ["refs/heads/main": a, "refs/tags/v1": a])
    }

    @Test func theSettingsAreReadFromTheHostConfig() throws {
        let config = try HostConfig.parse("events_max_watchers: 5\nevents_keepalive_seconds: 2\n").get()
        #expect(config.events.maxWatchers == 5)
        #expect(config.events.keepAliveSeconds == 2)
        #expect(
            HostConfig.parse("events_keepalive_seconds: 60\n").failureValue?.message
                == "host config line 1: events_keepalive_seconds must be an integer from 1 to 15")
        #expect(try HostConfig.parse(HostConfig.defaultFileText).get() == HostConfig())
    }
}

final class Flag: Sendable {
    private let state = Mutex(false)
    func set() { state.withLock { $0 = true } }
    var isSet: Bool { state.withLock { $0 } }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
