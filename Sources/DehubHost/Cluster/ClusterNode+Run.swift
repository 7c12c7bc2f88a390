import DehubCluster
import Foundation
import Logging

extension ClusterNode {
    /// Runs until cancelled: registers the node under a lease and keeps it alive, watches the store (catching up
    /// from snapshots whenever the watch breaks or its history was compacted), and scans the local copies for
    /// changes made behind the host's back.
    public func run(httpAddress: @escaping @Sendable () -> HostAddress?) async {
        while advertise.isEmpty {
            if let bound = httpAddress() {
                setAdvertise("http://\(bound.host.contains(":") ? "[\(bound.host)]" : bound.host):\(bound.port)")
            } else {
                try? await Task.sleep(for: .milliseconds(20))
                if Task.isCancelled { return }
            }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.registrationLoop() }
            group.addTask { await self.watchLoop() }
            group.addTask { await self.scanLoop() }
            await group.waitForAll()
        }
        // Leave at once rather than when the lease runs out (the task is cancelled: revoke from outside it).
        if let lease {
            let store = self.store
            await Task.detached { try? await store.revoke(lease: lease) }.value
        }
    }

    private func registrationLoop() async {
        let interval = Duration.milliseconds(settings.leaseSeconds * 1000 / 3)
        var registered: NodeRecord?
        while !Task.isCancelled {
            // The record carries the digest of this node's access config: registered again (under a new lease, the
            // old one revoked) when an admin, token or reader changes.
            let record = NodeRecord(id: id, advertise: advertise, access: AccessDigest.of(data: data, config: config).description)
            do {
                if let lease, record == registered {
                    try await store.keepAlive(lease: lease)
                } else {
                    let old = lease
                    lease = try await store.register(record, ttlSeconds: settings.leaseSeconds)
                    registered = record
                    if let old { try? await store.revoke(lease: old) }
                    logger.info("cluster: registered", metadata: ["node": "\(id)", "advertise": "\(advertise)"])
                    try await refreshNodes()
                }
            } catch let error as ClusterStoreError where error.kind == .leaseExpired {
                lease = nil
                continue
            } catch {
                logger.warning("cluster: registration", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func watchLoop() async {
        while !Task.isCancelled {
            do {
                let revision = try await store.revision()
                try await refreshNodes()
                try await refreshReplicas()
                try await syncAll()
                for try await changes in store.changes(after: revision) {
                    if changes.nodes {
                        try await refreshNodes()
                        for repo in records.keys.sorted() { scheduleSync(repo) }
                    }
                    if !changes.replicas.isEmpty {
                        try await refreshReplicas()
                        // A writer published its copy: the replicas waiting for it fetch now.
                        for repo in changes.replicas.sorted() where writerWaits[repo] != nil { scheduleSync(repo) }
                    }
                    for repo in changes.repos.sorted() { scheduleSync(repo) }
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.warning("cluster: watch", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Every second: local copies against the store's checksum as last seen. Every 3 s, also a full pass against the
    /// store itself (anti-entropy): a watch that broke without an error (seen when the etcd leader was killed) must
    /// not leave a copy behind for good.
    private func scanLoop() async {
        var tick = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            tick += 1
            scan()
            if tick % 3 == 0 {
                try? await refreshNodes()
                try? await refreshReplicas()
                for repo in records.keys.sorted() { scheduleSync(repo) }
            }
        }
    }
}
