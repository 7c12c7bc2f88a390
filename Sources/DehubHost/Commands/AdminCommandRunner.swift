import DehubCluster

/// Runs an admin command for an identity and returns what to print, and the exit status.
/// Shared by the embedded SSH server and the OpenSSH `shell` mode.
public struct AdminCommandRunner: Sendable {
    public let gate: AccessGate
    public let urls: CloneURLs
    /// The running host's mirror scheduler, told about new mirrors (nil in the OpenSSH mode).
    public let mirrors: MirrorScheduler?
    /// This node in cluster mode (nil for a single host and in the OpenSSH mode).
    public let cluster: ClusterNode?

    public init(gate: AccessGate, urls: CloneURLs, mirrors: MirrorScheduler? = nil, cluster: ClusterNode? = nil) {
        self.gate = gate
        self.urls = urls
        self.mirrors = mirrors
        self.cluster = cluster
    }

    public struct Outcome: Sendable, Equatable {
        public var stdout: String = ""
        public var stderr: String = ""
        public var status: Int32 = 0
    }

    var federation: FederationCommands { FederationCommands(store: gate.store, config: gate.config, urls: urls) }

    public func run(_ words: [String], identity: Identity) async -> Outcome {
        let command: AdminCommand
        switch AdminCommand.parse(words) {
        case .success(let parsed): command = parsed
        case .failure(let error): return Outcome(stderr: "dehub-host: \(error)\n", status: 64)
        }
        let isAdmin = gate.isAdmin(identity)
        if command.needsAdmin,
            case .deny(let denial) = AccessPolicy.decideAdministration(
                RequesterFacts(
                    isAuthenticated: identity.isAuthenticated, isAdmin: isAdmin))
        {
            return Outcome(stderr: "dehub-host: \(denial.message)\n", status: 1)
        }
        do {
            switch command {
            case .help:
                return Outcome(stdout: AdminCommand.usage + "\n")
            case .whoami:
                switch identity {
                case .anonymous:
                    return Outcome(stdout: "anonymous (no key)\n")
                case .key(let key):
                    return Outcome(stdout: "\(key.openSSHLine)\n\(key.fingerprint)\(isAdmin ? " (admin)" : "")\n")
                case .clusterNode(let node): return Outcome(stdout: "cluster node \(node)\n")
                }
            case .repoList:
                var lines: [String] = []
                for name in gate.store.list() where await gate.canSee(identity, name) {
                    let flag = gate.store.isPrivate(name) ? " (private)" : ""
                    lines.append("\(name)\(flag)\t\(urls.ssh(name))\t\(urls.http(name))")
                }
                return Outcome(stdout: lines.map { $0 + "\n" }.joined())
            case .repoCreate(let name, let isPrivate):
                try await gate.store.create(name, isPrivate: isPrivate, config: gate.config)
                return Outcome(
                    stdout: "created \(name)\(isPrivate ? " (private)" : "")\n  \(urls.ssh(name))\n  \(urls.http(name))\n")
            case .repoDelete(let name):
                try gate.store.delete(name)
                return Outcome(stdout: "deleted \(name)\n")
            case .repoFork(let source, let destination, let isPrivate, let newRoot):
                return Outcome(stdout: try await federation.fork(source, to: destination, isPrivate: isPrivate, newRoot: newRoot))
            case .mirror(.add(let name, let upstream, let root, let isPrivate)):
                let text = try await federation.addMirror(name, from: upstream, root: root, isPrivate: isPrivate)
                await mirrors?.synced(name)
                mirrors?.kick(name)
                return Outcome(stdout: text)
            case .mirror(.sync(let name)):
                let text = try await federation.sync(name)
                await mirrors?.synced(name)
                return Outcome(stdout: text)
            case .mirror(.status(let json)):
                return Outcome(stdout: try federation.status(json: json))
            case .clusterStatus:
                guard let cluster else {
                    return Outcome(
                        stderr: "dehub-host: not a cluster node: this host runs without --cluster-etcd (docs/cluster.md)\n",
                        status: 64)
                }
                do {
                    let text = try await ClusterStatusReport.text(store: cluster.store, replicas: cluster.settings.replicas)
                    return Outcome(stdout: text + "\n")
                } catch let error as ClusterStoreError {
                    let failure = HostError(.io, error.message)
                    return Outcome(stderr: "dehub-host: \(failure)\n", status: failure.exitCode)
                }
            }
        } catch let error as HostError {
            return Outcome(stderr: "dehub-host: \(error)\n", status: error.exitCode)
        } catch {
            return Outcome(stderr: "dehub-host: \(error)\n", status: 70)
        }
    }
}
