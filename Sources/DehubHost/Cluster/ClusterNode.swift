import DehubCluster
import DehubCore
import Foundation
import Logging

/// One node of a cluster: what it knows of the store (live nodes, each repo's checksum, the replicas' states),
/// the write path (commit a push's ref updates to the store), the read path's routing (serve here, or proxy to a
/// replica in step), and the replication loop (watch the store, bring local copies to it, verify before applying,
/// publish the result). The loops run in `run()`, a service of the host's lifecycle.
public actor ClusterNode {
    public let settings: ClusterSettings
    let store: any RefStore
    let data: DataDirectory
    let repos: RepoStore
    let config: HostConfig
    let logger: Logger
    /// This node's URL for the others (from the settings, else the HTTP address it listens on).
    var advertise: String

    var nodes: [NodeRecord] = []
    var storeSums: [String: ReplicaChecksum] = [:]
    var records: [String: RepoRecord] = [:]
    var replicaStates: [String: [String: ReplicaState]] = [:]
    var alarms: [String: String] = [:]
    var published: [String: ReplicaState] = [:]
    var syncing: Set<String> = []
    var dirty: Set<String> = []
    var prepared: Set<String> = []
    var lease: Int64?
    var refusals: [String: String] = [:]
    /// The host's stream of ref changes, where the updates this replica applies are published.
    var events: RefEventHub?
    /// Repos with a push committed here that git has not applied yet (`followPush`).
    var pushing: Set<String> = []
    /// Per repo, the store's last transaction from another writer that this node waits to fetch (`waitsForWriter`).
    var writerWaits: [String: (transaction: RefTransaction, since: ContinuousClock.Instant)] = [:]
    /// In the environment of every git the host runs for a client (`DEHUB_CLUSTER_TOKEN`); the socket takes ref
    /// updates only with it, so git run by anything else on the machine cannot commit refs to the store.
    public nonisolated let pushToken: String = {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
    }()

    public init(
        settings: ClusterSettings, store: any RefStore, data: DataDirectory, config: HostConfig, logger: Logger
    ) {
        self.settings = settings
        self.store = store
        self.data = data
        self.repos = RepoStore(data: data)
        self.config = config
        self.logger = logger
        self.advertise = settings.advertise
    }

    var id: String { settings.nodeID }

    // MARK: - reads

    /// Where a request for `name` goes.
    public enum Route: Equatable, Sendable {
        /// This node's copy is in step with the store: serve it.
        case local
        /// Another node's copy is: proxy the request to its URL.
        case proxy(String)
        /// No copy known to be in step.
        case unavailable(String)
    }

    /// The replica set of a repo: from the live nodes (this one included).
    func replicaSet(_ repo: String) -> [String] {
        ReplicaSet.choose(repo: repo, nodes: nodes.map(\.id) + [id], count: settings.replicas)
    }

    /// Whether this node's copy is in step: it is a replica, it raised no alarm, and its refs' checksum equals the
    /// store's (read from the files on every call).
    func isInStep(_ repo: String) -> Bool {
        guard let name = RepoName.validated(repo), alarms[repo] == nil, replicaSet(repo).contains(id), repos.exists(name)
        else { return false }
        return LocalRefs.checksum(repos.path(of: name)) == (storeSums[repo] ?? .empty)
    }

    /// Serve here when in step; else proxy to a replica whose published checksum equals the store's. A request
    /// another node already proxied is never proxied again. While no copy is in step (all are applying the last
    /// push), waits up to 2 s.
    public func route(_ name: RepoName, proxied: Bool) async -> Route {
        let repo = name.path
        if storeSums[repo] == nil, let snapshot = try? await store.snapshot(repo: repo) {
            storeSums[repo] = snapshot.checksum
        }
        for attempt in 0..<40 {
            if isInStep(repo) { return .local }
            if proxied {
                if repos.exists(name), alarms[repo] == nil { return .local }
                return .unavailable("this node holds no copy of \(repo) in step with the cluster")
            }
            if let peer = healthyPeer(repo) { return .proxy(peer) }
            if attempt == 0 {
                scheduleSync(repo)
                try? await refreshReplicas()
                if nodes.isEmpty { try? await refreshNodes() }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return .unavailable("no node of the cluster holds a copy of \(repo) in step with the store; try again shortly")
    }

    func healthyPeer(_ repo: String) -> String? {
        let expected = (storeSums[repo] ?? .empty).description
        let live = Dictionary(nodes.map { ($0.id, $0.advertise) }, uniquingKeysWith: { a, _ in a })
        let candidates = replicaSet(repo) + live.keys.sorted()
        for node in candidates where node != id {
            guard let url = live[node], let state = replicaStates[repo]?[node] else { continue }
            if state.status == .serving, state.checksum == expected { return url }
        }
        return nil
    }

    // MARK: - the write path

    /// Commits a push's prepared ref updates to the store, comparing every ref with the old value the hook verified.
    public func commit(_ request: ClusterRefRequest) async -> ClusterRefAnswer {
        let answer = await decide(request)
        if case .refused(let message) = answer, !request.push.isEmpty {
            refusals[request.push] = message
            if refusals.count > 1000 { refusals.removeAll() }
        }
        return answer
    }

    /// Why the cluster refused the push of this client request (`DEHUB_CLUSTER_PUSH`), once.
    public func refusal(push: String) -> String? { refusals.removeValue(forKey: push) }

    private func decide(_ request: ClusterRefRequest) async -> ClusterRefAnswer {
        guard Self.equal(request.token, pushToken) else {
            return .refused("this ref update did not come from a push through dehub-host; the cluster refuses it")
        }
        guard let name = repoName(gitDirectory: request.gitDirectory) else {
            return .refused("\(request.gitDirectory) is not a repository of this node")
        }
        let zero = { (oid: String) -> String? in oid.allSatisfy { $0 == "0" } ? nil : oid }
        // git adds a log-only update of HEAD when a push moves the branch HEAD points to: the branch's own line
        // carries the move.
        let updates = request.updates.filter { $0.ref != "HEAD" }
        guard !updates.isEmpty else { return .ok }
        let transaction = RefTransaction(
            repo: name.path, changes: updates.map { RefChange(ref: $0.ref, old: zero($0.old), new: zero($0.new)) },
            writer: id, role: request.role)
        do {
            try transaction.validate()
        } catch {
            return .refused("the cluster cannot store this update: \(error)")
        }
        ClusterFault.hit(.beforeCommit, armed: settings.testFault)
        do {
            if records[name.path] == nil {
                records[name.path] = try await store.addRepo(RepoRecord(name: name.path, isPrivate: repos.isPrivate(name)))
            }
            let result = try await store.commit(transaction)
            ClusterFault.hit(.afterCommit, armed: settings.testFault)
            switch result {
            case .committed(let revision):
                logger.info("cluster commit", metadata: ["repo": "\(name)", "revision": "\(revision)"])
                var sum = storeSums[name.path] ?? .empty
                for change in transaction.changes { sum = sum.applying(ref: change.ref, old: change.old, new: change.new) }
                storeSums[name.path] = sum
                pushing.insert(name.path)
                Task { await self.followPush(name.path, path: repos.path(of: name), changes: transaction.changes) }
                return .ok
            case .alreadyInStore:
                return .ok
            case .conflict(let ref, let value):
                let now = value.map { "it is at \($0.prefix(12)) there" } ?? "it was deleted there"
                return .refused(
                    "\(ref) was moved by another push to the cluster (\(now)); fetch, merge or rebase, and push again")
            }
        } catch let error as ClusterStoreError {
            logger.warning("cluster store", metadata: ["error": "\(error.message)"])
            return .refused("\(error.message); the push is refused, reads go on")
        } catch {
            return .refused("cluster store unavailable (\(error)); the push is refused, reads go on")
        }
    }

    /// Compares in time independent of where the strings differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    func repoName(gitDirectory: String) -> RepoName? {
        let prefix = data.reposDirectory + "/"
        var path = gitDirectory
        while path.hasSuffix("/") { path.removeLast() }
        guard path.hasPrefix(prefix), path.hasSuffix(".git") else { return nil }
        guard let name = RepoName.validated(String(path.dropFirst(prefix.count))), repos.path(of: name) == path else {
            return nil
        }
        return name
    }

    // MARK: - replication

    func scheduleSync(_ repo: String) {
        if syncing.contains(repo) {
            dirty.insert(repo)
            return
        }
        syncing.insert(repo)
        Task { await self.syncLoop(repo) }
    }

    private func syncLoop(_ repo: String) async {
        var rounds = 0
        repeat {
            dirty.remove(repo)
            rounds += 1
            let again = await syncOnce(repo)
            if again {
                dirty.insert(repo)
                try? await Task.sleep(for: .milliseconds(min(20 * rounds, 500)))
            }
        } while dirty.contains(repo) && !Task.isCancelled && rounds < 200
        syncing.remove(repo)
    }

    /// After a push committed here, until git applied it: the copy is left to git (the sync would only find the
    /// ref locked), then synced and published at once, which is what the other replicas wait for before fetching.
    private func followPush(_ repo: String, path: String, changes: [RefChange]) async {
        for _ in 0..<2000 {
            let refs = LocalRefs.read(path)
            if changes.allSatisfy({ refs[$0.ref] == $0.new }) { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        pushing.remove(repo)
        scheduleSync(repo)
    }

    /// Whether to leave the writer of the store's last transaction alone a little longer before fetching from it:
    /// until its own copy holds the update (it publishes its state then), its receive-pack is still finishing the
    /// client's push, and the replicas' fetches and verification would compete with it for the machine. At most 1 s
    /// (the writer may have died after its commit); a live writer's published state ends the wait (`watchLoop`).
    func waitsForWriter(_ repo: String, _ snapshot: RepoSnapshot) -> Bool {
        guard let last = snapshot.lastTransaction, last.writer != id, nodes.contains(where: { $0.id == last.writer }),
            replicaStates[repo]?[last.writer]?.checksum != snapshot.checksum.description
        else {
            writerWaits[repo] = nil
            return false
        }
        if let wait = writerWaits[repo], wait.transaction == last { return ContinuousClock.now - wait.since < .seconds(1) }
        writerWaits[repo] = (last, ContinuousClock.now)
        Task {
            try? await Task.sleep(for: .milliseconds(1050))
            await self.scheduleSync(repo)
        }
        return true
    }

    /// One pass; true when it should be tried again soon.
    private func syncOnce(_ repo: String) async -> Bool {
        guard let name = RepoName.validated(repo), !pushing.contains(repo) else { return false }
        do {
            // The local refs first, then the store (see `ReplicaSync.sync`).
            let local = repos.exists(name) ? LocalRefs.read(repos.path(of: name)) : [:]
            let snapshot = try await store.snapshot(repo: repo)
            storeSums[repo] = snapshot.checksum
            guard replicaSet(repo).contains(id) else { return false }
            if !repos.exists(name) {
                guard let record = try await record(repo) else { return false }
                try await repos.create(name, isPrivate: record.isPrivate, config: config)
                logger.info("cluster: created the replica", metadata: ["repo": "\(repo)"])
            }
            let path = repos.path(of: name)
            try await prepare(repo, path: path)
            if local != snapshot.refs, waitsForWriter(repo, snapshot) { return false }
            let sync = ReplicaSync(
                sources: sources(repo, writer: snapshot.lastTransaction?.writer), repoName: repo,
                fetchEnvironment: { [self] in fetchEnvironment(from: $0, repo: repo) })
            switch try await sync.sync(snapshot, into: path, local: local) {
            case .inStep(let checksum):
                if local != snapshot.refs { await announce(repo, path: path) }
                if let alarm = alarms.removeValue(forKey: repo) {
                    logger.notice("cluster: replica back in step", metadata: ["repo": "\(repo)", "was": "\(alarm)"])
                }
                await publish(repo, snapshot.revision, checksum, .serving)
                return false
            case .busy:
                return true
            case .fetchFailed(let reason):
                logger.warning("cluster: fetch failed", metadata: ["repo": "\(repo)", "reason": "\(reason)"])
                await publish(repo, snapshot.revision, LocalRefs.checksum(path), .catchingUp, reason)
                return true
            case .refused(let reason):
                // The copy may have been changed behind the host's back: rebuild it from the store, verifying
                // everything from the root. If the engine refuses that too, the store holds what this node's rules
                // refuse: raise the alarm and stop serving the repo.
                logger.warning("cluster: refused to apply", metadata: ["repo": "\(repo)", "reason": "\(reason)"])
                switch try await rebuild(name, snapshot: snapshot, sync: sync) {
                case .inStep(let checksum):
                    alarms.removeValue(forKey: repo)
                    logger.notice("cluster: replica rebuilt from the store", metadata: ["repo": "\(repo)"])
                    await announce(repo, path: path)
                    await publish(repo, snapshot.revision, checksum, .serving)
                    return false
                case .busy, .fetchFailed:
                    return true
                case .refused(let verdict):
                    alarms[repo] = verdict
                    logger.error(
                        "cluster: verdict differs from the store", metadata: ["repo": "\(repo)", "verdict": "\(verdict)"])
                    await publish(repo, snapshot.revision, LocalRefs.checksum(path), .alarm, verdict)
                    return false
                }
            }
        } catch {
            logger.warning("cluster: sync failed", metadata: ["repo": "\(repo)", "error": "\(error)"])
            return true
        }
    }

    /// The copy's refs moved (an update applied, or the copy rebuilt): watchers of this node (`RefEventHub`) get the
    /// changes, as after a push here. The hub reads only repos someone watches.
    private func announce(_ repo: String, path: String) async {
        await events?.refresh(repo: repo, path: path)
    }

    /// Set once by the node's service, before its loops start.
    func attach(events: RefEventHub) { self.events = events }

    private func record(_ repo: String) async throws -> RepoRecord? {
        if let record = records[repo] { return record }
        for record in try await store.repos() { records[record.name] = record }
        return records[repo]
    }

    /// Once per repo and process: the cluster hook and git settings.
    private func prepare(_ repo: String, path: String) async throws {
        guard !prepared.contains(repo) else { return }
        try ClusterRepoSetup.apply(data: data, repoPath: path)
        for (key, value) in ClusterRepoSetup.gitSettings {
            try await GitCommand.check(["--git-dir", path, "config", key, value])
        }
        prepared.insert(repo)
    }

    /// Nodes to fetch from: the writer first, then replicas in step, then any other live node.
    func sources(_ repo: String, writer: String?) -> [String] {
        let live = Dictionary(nodes.map { ($0.id, $0.advertise) }, uniquingKeysWith: { a, _ in a })
        var order: [String] = []
        if let writer, writer != id { order.append(writer) }
        let expected = (storeSums[repo] ?? .empty).description
        order += replicaSet(repo).filter { replicaStates[repo]?[$0]?.checksum == expected }
        order += replicaSet(repo) + live.keys.sorted()
        var seen = Set<String>()
        return order.filter { $0 != id && seen.insert($0).inserted }.compactMap { live[$0] }
    }

    /// A fresh copy from the store in a hidden directory, swapped in only when every ref verified.
    private func rebuild(_ name: RepoName, snapshot: RepoSnapshot, sync: ReplicaSync) async throws -> ReplicaSync.Outcome {
        let path = repos.path(of: name)
        let temp = data.reposDirectory + "/.creating-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: temp) }
        try await GitCommand.check(["init", "--quiet", "--bare", "--template=", "--initial-branch=main", temp])
        try await repos.guardRepo(at: temp, finalPath: path, config: config)
        for (key, value) in ClusterRepoSetup.gitSettings {
            try await GitCommand.check(["--git-dir", temp, "config", key, value])
        }
        for file in ["dehub-private", "dehub-readers"] where FileIO.exists(path + "/" + file) {
            try FileIO.copyAtomically(path + "/" + file, to: temp + "/" + file, mode: 0o644)
        }
        // Objects already here need not be fetched again; the refs are what is judged.
        if FileIO.isDirectory(path + "/objects") {
            try FileIO.writeAtomically(path + "/objects\n", to: temp + "/objects/info/alternates", mode: 0o644)
        }
        let outcome = try await sync.sync(snapshot, into: temp, local: [:])
        guard case .inStep = outcome else { return outcome }
        try await GitCommand.check(["--git-dir", temp, "repack", "-a", "-d", "-q"])
        try? FileManager.default.removeItem(atPath: temp + "/objects/info/alternates")
        let doomed = data.reposDirectory + "/.deleting-" + UUID().uuidString
        guard rename(path, doomed) == 0, rename(temp, path) == 0 else {
            throw HostError(.io, "cannot swap the rebuilt copy of \(name) into place")
        }
        try? FileManager.default.removeItem(atPath: doomed)
        return outcome
    }

    private func publish(
        _ repo: String, _ revision: Int64, _ checksum: ReplicaChecksum, _ status: ReplicaState.Status, _ detail: String = ""
    ) async {
        let state = ReplicaState(
            repo: repo, node: id, revision: revision, checksum: checksum.description, status: status, detail: detail)
        var unchanged = published[repo]
        unchanged?.revision = revision
        if unchanged == state { return }
        do {
            try await store.publish(state)
            published[repo] = state
            replicaStates[repo, default: [:]][id] = state
        } catch {
            logger.warning("cluster: cannot publish", metadata: ["repo": "\(repo)", "error": "\(error)"])
        }
    }

    // MARK: - what the node knows

    func refreshNodes() async throws {
        nodes = try await store.nodes()
    }

    func refreshReplicas() async throws {
        var states: [String: [String: ReplicaState]] = [:]
        for state in try await store.replicas() { states[state.repo, default: [:]][state.node] = state }
        replicaStates = states
    }

    /// Every repo in the store and every local one: local repos the store does not know yet are added to it (with
    /// their refs when the store has none, so a single host's repos become the cluster's), then each is synced.
    func syncAll() async throws {
        for record in try await store.repos() { records[record.name] = record }
        for name in repos.list() where records[name.path] == nil {
            records[name.path] = try await store.addRepo(RepoRecord(name: name.path, isPrivate: repos.isPrivate(name)))
            let refs = LocalRefs.read(repos.path(of: name))
            if !refs.isEmpty, try await store.snapshot(repo: name.path).refs.isEmpty {
                let seed = RefTransaction(
                    repo: name.path, changes: refs.keys.sorted().map { RefChange(ref: $0, old: nil, new: refs[$0]) },
                    writer: id, role: PusherRole.admin.rawValue)
                if seed.changes.count <= RefTransaction.maxChanges { _ = try await store.commit(seed) }
            }
        }
        for repo in records.keys.sorted() { scheduleSync(repo) }
    }

    /// Local copies whose checksum no longer matches the store (changed behind the host's back): synced again.
    func scan() {
        for repo in records.keys.sorted() where replicaSet(repo).contains(id) {
            guard let name = RepoName.validated(repo), repos.exists(name) else {
                scheduleSync(repo)
                continue
            }
            if LocalRefs.checksum(repos.path(of: name)) != (storeSums[repo] ?? .empty) || alarms[repo] != nil {
                scheduleSync(repo)
            }
        }
    }

    func setAdvertise(_ url: String) { if advertise.isEmpty { advertise = url } }

    // MARK: - status

    public struct Status: Sendable {
        public var nodes: [NodeRecord]
        public var repos: [String: ReplicaChecksum]
        public var replicas: [ReplicaState]
        public var alarms: [String: String]
    }

    public func status() async throws -> Status {
        try await refreshNodes()
        try await refreshReplicas()
        var sums: [String: ReplicaChecksum] = [:]
        for record in try await store.repos() { sums[record.name] = try await store.snapshot(repo: record.name).checksum }
        return Status(
            nodes: nodes, repos: sums,
            replicas: replicaStates.values.flatMap(\.values).sorted { ($0.repo, $0.node) < ($1.repo, $1.node) },
            alarms: alarms)
    }
}
