import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// `dehub-host serve`: prepares the data directory, then runs SSH and HTTP as services of one
/// lifecycle. SIGTERM or SIGINT: stop accepting, let running requests finish (bounded by
/// `shutdown_grace_seconds`), then cancel what is left (which kills its git processes).
public struct HostServer {
    public struct Options: Sendable {
        public var data: DataDirectory
        public var ssh: HostAddress?
        public var http: HostAddress?
        public var hook: String?
        public var adminKeyFile: String?
        /// Overrides `push_policy` of the host config when given.
        public var pushPolicy: PushPolicy?
        /// Cluster mode from the command line (`--cluster-etcd`, `--node-id`, `--advertise`), over the host config.
        public var clusterFlags: ClusterFlags = ClusterFlags()

        public init(
            data: DataDirectory, ssh: HostAddress?, http: HostAddress?, hook: String?, adminKeyFile: String?,
            pushPolicy: PushPolicy? = nil, clusterFlags: ClusterFlags = ClusterFlags()
        ) {
            self.clusterFlags = clusterFlags
            self.data = data
            self.ssh = ssh
            self.http = http
            self.hook = hook
            self.adminKeyFile = adminKeyFile
            self.pushPolicy = pushPolicy
        }
    }

    let options: Options
    let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run() async throws {
        let data = options.data
        let adminKey = try options.adminKeyFile.map(AdminKeyFile.read)
        for line in try data.prepare(adminKey: adminKey?.key, adminComment: adminKey?.comment ?? "") { say(line) }
        var config = try data.loadConfig()
        if let pushPolicy = options.pushPolicy { config.pushPolicy = pushPolicy }
        try HookInstaller(data: data).installBinary(explicitSource: options.hook)
        let hostKey = try HostKey.loadOrCreate(at: data.hostKeyFile)
        let cluster = try ClusterStartup.prepare(flags: options.clusterFlags, config: config, data: data)
        let store = RepoStore(data: data)
        let guarded = try await store.guardAll(config: config)
        let swept = (cluster == nil ? StaleFileSweeper() : ClusterStartup.sweeper).sweep(
            reposDirectory: data.reposDirectory, repoPaths: store.list().map { store.path(of: $0) })
        for path in swept { say("removed stale \(path) (left by a crash)") }
        if data.admins().isEmpty {
            say("warning: no admin keys in \(data.adminsFile): start once with --admin-key FILE.pub to add one")
        }

        let listening = ListenAddresses()
        var running: [any Service] = []
        let clusterNode = cluster.map { ClusterStartup.node($0, data: data, config: config, logger: logger) }
        var prepared = HostServices(data: data, config: config, listening: listening, logger: logger, cluster: clusterNode)
        let mirrors = MirrorScheduler.forHost(store: store, config: config, events: prepared.events, logger: logger)
        prepared.mirrors = mirrors
        let services = prepared
        let ready = ReadyCounter(expected: (options.ssh == nil ? 0 : 1) + (options.http == nil ? 0 : 1)) {
            say("host key \(HostKey.publicIdentity(of: hostKey).fingerprint)")
            say("serving \(guarded) repositories from \(data.reposDirectory)")
            for name in store.list() where !store.isPrivate(name) {
                say("  \(name): git clone \(services.urls.http(name))  |  git clone \(services.urls.ssh(name))")
            }
            say("ready")
        }
        if let ssh = options.ssh {
            running.append(
                SSHGitServer(services: services, address: ssh, hostKey: hostKey) { port in
                    let bound = HostAddress(host: ssh.host, port: port)
                    listening.setSSH(bound)
                    say("ssh listening on \(bound)")
                    ready.arrived()
                })
        }
        if let http = options.http {
            running.append(
                HTTPGitServer.make(services: services, address: http) { port in
                    let bound = HostAddress(host: http.host, port: port)
                    listening.setHTTP(bound)
                    say("http listening on \(bound)")
                    ready.arrived()
                })
        }
        guard !running.isEmpty else { throw HostError(.usage, "nothing to serve: give --ssh, --http or both") }
        if let cluster, let clusterNode {
            running += ClusterStartup.services(
                clusterNode, data: data, listening: listening, events: services.events, logger: logger)
            say("cluster node \(cluster.nodeID) (etcd \(cluster.endpoints.urls.joined(separator: ",")))")
        }
        running.append(mirrors)
        // Last, so that it is shut down first: its watchers' streams end before the listeners wait for them.
        running.append(RefEventService(hub: services.events, store: store))
        var groupConfig = ServiceGroupConfiguration(
            services: running.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfig.maximumGracefulShutdownDuration = .seconds(config.shutdownGraceSeconds + 1)
        groupConfig.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: groupConfig).run()
        say("stopped")
    }
}

/// Status lines on stdout (tests and `make run` read them), flushed at once.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Calls `done` once every listener reported its port.
final class ReadyCounter: Sendable {
    private let remaining: Mutex<Int>
    private let done: @Sendable () -> Void

    init(expected: Int, done: @escaping @Sendable () -> Void) {
        self.remaining = Mutex(expected)
        self.done = done
    }

    func arrived() {
        let last = remaining.withLock { count -> Bool in
            count -= 1
            return count == 0
        }
        if last { done() }
    }
}

/// Reads an admin's public key file given to `--admin-key`.
public enum AdminKeyFile {
    public static func read(_ path: String) throws -> (key: SSHKeyIdentity, comment: String) {
        let text = try FileIO.readText(FileIO.absolute(path)).trimmingSpaces()
        guard let key = SSHKeyIdentity(openSSHLine: text) else {
            throw HostError(.usage, "\(path) is not an OpenSSH public key (expected e.g. `ssh-ed25519 AAAA... you@host`)")
        }
        let parts = text.split(separator: " ", maxSplits: 2)
        return (key, parts.count == 3 ? String(parts[2]) : "")
    }
}
