import DehubCore

/// The host's settings, read from `DATA/host-config.yml`: a flat YAML mapping of `key: value` lines
/// with `#` comments, read by DehubCore's strict YAML reader. Unknown and duplicate keys are errors.
public struct HostConfig: Equatable, Sendable {
    /// Who may push: `open` (the dehub hook is the gate) or `members`.
    public var pushPolicy: PushPolicy = .open
    /// The largest pack a push may send (git's `receive.maxInputSize`, set in every repo).
    public var maxPushBytes: Int = 512 * 1024 * 1024
    /// The largest HTTP request body, after gzip decoding.
    public var maxRequestBodyBytes: Int = 1024 * 1024 * 1024
    /// How many git processes may run at once; further requests wait in a queue.
    public var maxGitProcesses: Int = 32
    /// How many requests may wait for a git process; further ones are refused with a clear error.
    public var maxQueuedRequests: Int = 256
    /// How long a request waits in the queue before it is refused.
    public var queueWaitSeconds: Int = 60
    /// A connection with no traffic for this long is closed (and its git processes killed). SSH counts session
    /// data only: keepalives do not keep a connection open.
    public var idleTimeoutSeconds: Int = 300
    /// HTTP: a request's head (and the next one on a kept-alive connection) must arrive within this long.
    public var requestHeadTimeoutSeconds: Int = 30
    /// HTTP: a request body that makes no progress for this long while the host waits for it is cut.
    public var requestBodyTimeoutSeconds: Int = 60
    /// A git process that moves no byte (input, output, messages) for this long is killed. git itself sends
    /// keep-alives every 5 s while it works, so only a stuck client or git stays silent this long.
    public var gitIdleTimeoutSeconds: Int = 120
    /// On SIGTERM, running requests get this long to finish before they are cut.
    public var shutdownGraceSeconds: Int = 30
    /// The SSH user name that logs in without a key (anonymous reads of public repos).
    public var anonymousSSHUser: String = "anonymous"
    /// Base of the SSH clone URLs the host prints, e.g. `ssh://git@git.example.org:2222`; empty: from the listen address.
    public var sshURLBase: String = ""
    /// Base of the HTTP clone URLs the host prints, e.g. `https://git.example.org`; empty: from the listen address.
    public var httpURLBase: String = ""

    // Connections and fairness (SSH and HTTP; see docs/host.md, "Limits").
    /// SSH: from connect until logged in; HTTP: from connect until the first full request head. Past it, closed.
    public var handshakeTimeoutSeconds: Int = 30
    /// SSH: a session channel must ask for a command (exec or shell) within this long, or it is closed.
    public var sshSessionRequestTimeoutSeconds: Int = 30
    /// SSH: session channels one connection may have open at once.
    public var sshMaxSessionsPerConnection: Int = 4
    /// Open connections in total (both transports), from one source address, and of those not yet logged in /
    /// without a full request head (in total and from one address).
    public var maxConnections: Int = 1024
    public var maxConnectionsPerAddress: Int = 64
    public var maxUnauthenticatedConnections: Int = 256
    public var maxUnauthenticatedPerAddress: Int = 32
    /// Git processes one identity (a key; anonymous: a source address) may run at once.
    public var maxGitProcessesPerIdentity: Int = 8
    /// Of `max_git_processes`, how many only admins, members and readers may take; nil: a quarter of them.
    public var reservedGitProcesses: Int? = nil
    /// The event stream's limits (`events_*` keys, `RefEventSettings`).
    public var events = RefEventSettings()

    // Federation (docs/host.md, "Mirrors, lineage, the directory and redirects").
    /// Other dehub hosts (base URLs, http or https): a request for a repository this host lacks and a peer lists is
    /// redirected there.
    public var peers: [String] = []
    /// Seconds between polls of a mirror's upstream (event streams start syncs sooner).
    public var mirrorPollSeconds: Int = 600

    // Cluster mode (docs/cluster.md); empty `cluster_etcd`: a single host, no store.
    /// etcd client URLs, comma-separated (`--cluster-etcd`).
    public var clusterEtcd: String = ""
    /// This node's id in the cluster (`--node-id`).
    public var clusterNodeID: String = ""
    /// This node's HTTP URL as the other nodes reach it (`--advertise`).
    public var clusterAdvertise: String = ""
    /// How many nodes hold each repo (all of them when fewer).
    public var clusterReplicas: Int = 3
    /// The file of the secret every node shares (`--cluster-secret-file`; docs/cluster.md, "Node identity").
    public var clusterSecretFile: String = ""

    public var effectiveReservedGitProcesses: Int { reservedGitProcesses ?? maxGitProcesses / 4 }

    public init() {}

    /// The connection caps as the guard uses them.
    public var connectionLimits: ConnectionLimits {
        ConnectionLimits(
            total: maxConnections, perAddress: maxConnectionsPerAddress,
            unauthenticated: maxUnauthenticatedConnections,
            unauthenticatedPerAddress: maxUnauthenticatedPerAddress)
    }

    /// How git slots are shared out.
    public var slotLimits: SlotLimits {
        SlotLimits(
            total: maxGitProcesses, reserved: effectiveReservedGitProcesses, perOwner: maxGitProcessesPerIdentity,
            maxQueued: maxQueuedRequests)
    }

    /// Every key of the file, in the order the first-start file shows them: how each is read, and its comment there.
    static let table: [HostConfigKey] =
        [
            .choice("push_policy", \.pushPolicy, mustBe: "open or members").about(
                """
                Who may push: `open` (anyone; the dehub hook in every repo is the gate) or `members`
                (admins, and keys listed as ssh_public_key signifiers in .dehub/config.yml on main;
                over HTTP with a token from `dehub-host token create`).
                """),
            .integer("max_push_bytes", \.maxPushBytes, .positive).about(
                "Largest pack one push may send, in bytes (git's receive.maxInputSize in every repo)."),
            .integer("max_request_body_bytes", \.maxRequestBodyBytes, .positive).about(
                "Largest HTTP request body, in bytes, after gzip decoding."),
            .integer("max_git_processes", \.maxGitProcesses, .positive(max: 100_000)).about(
                "Git processes that may run at once; more requests wait in a queue until one ends."),
            .integer("max_queued_requests", \.maxQueuedRequests, .nonNegative(max: 1_000_000, takesQuoted: true)).about(
                """
                Requests that may wait for a git process (0: none wait), and for how many seconds at most;
                past either, a request is refused with "the host is busy".
                """),
            .integer("queue_wait_seconds", \.queueWaitSeconds, .positive(atMost: 3_600)),
            .integer("idle_timeout_seconds", \.idleTimeoutSeconds, .positive(max: 86_400 * 7)).about(
                """
                Seconds without traffic after which a connection is closed and its git processes killed
                (SSH: without session data either way; keepalives do not count).
                """),
            .integer("request_head_timeout_seconds", \.requestHeadTimeoutSeconds, .positive(atMost: 3_600)).about(
                """
                HTTP: seconds for a request's head to arrive (also between requests on a kept-alive connection;
                past it: 408 and the connection is closed), and seconds a request body may make no progress while
                the host waits for it (past it: the connection is closed and its git killed).
                """),
            .integer("request_body_timeout_seconds", \.requestBodyTimeoutSeconds, .positive(atMost: 3_600)),
            .integer("git_idle_timeout_seconds", \.gitIdleTimeoutSeconds, .positive(atMost: 86_400)).about(
                """
                Seconds a git process may move no data at all before it is killed (git sends keep-alives every
                5 seconds while it works, so this only ends stuck requests).
                """),
            .integer("shutdown_grace_seconds", \.shutdownGraceSeconds, .positive(max: 86_400)).about(
                "Seconds that running requests get to finish after SIGTERM."),
            .text("anonymous_ssh_user", \.anonymousSSHUser, mustBe: "a plain user name", where: isUserName).about(
                """
                SSH user name that logs in without a key, for anonymous reads of public repos:
                  git clone ssh://anonymous@HOST:2222/NAME.git
                """),
            .text("ssh_url_base", \.sshURLBase).about(
                """
                Bases of the clone URLs the host prints, e.g. ssh://git@git.example.org:2222 and
                https://git.example.org. Empty: made from the listen addresses.
                """),
            .text("http_url_base", \.httpURLBase),

            .integer("handshake_timeout_seconds", \.handshakeTimeoutSeconds, .positive(atMost: 3_600))
                .heading("Connections and fairness (SSH and HTTP)")
                .about("Seconds a connection gets to log in (SSH) or to send its first full request head (HTTP)."),
            .integer("ssh_session_request_timeout_seconds", \.sshSessionRequestTimeoutSeconds, .positive(atMost: 3_600))
                .about(
                    """
                    Seconds an SSH session channel gets to ask for a command; session channels one SSH connection may
                    have open at once (git needs one).
                    """),
            .integer("ssh_max_sessions_per_connection", \.sshMaxSessionsPerConnection, .positive(max: 1_000)),
            .integer("max_connections", \.maxConnections, .positive(max: 1_000_000)).about(
                "Open connections (SSH and HTTP together): in total, and from one address (IPv6: one /64)."),
            .integer("max_connections_per_address", \.maxConnectionsPerAddress, .positive(max: 1_000_000)),
            .integer("max_unauthenticated_connections", \.maxUnauthenticatedConnections, .positive(max: 1_000_000)).about(
                """
                Connections not logged in yet (HTTP: no full request head yet): in total, and from one address.
                Past the total, the oldest such connection of the address holding the most of them is cut.
                """),
            .integer("max_unauthenticated_per_address", \.maxUnauthenticatedPerAddress, .positive(max: 1_000_000)),
            .integer("max_git_processes_per_identity", \.maxGitProcessesPerIdentity, .positive(max: 100_000)).about(
                """
                Git processes one identity (a key; without a key: a source address) may run at once, and how many
                of max_git_processes only admins, members and readers may take (they are also served first;
                default: a quarter of max_git_processes).
                """),
            .optionalInteger(
                "reserved_git_processes", \.reservedGitProcesses, .nonNegative(max: 100_000),
                example: { "\($0.effectiveReservedGitProcesses)" }
            ).commentedOut(),
        ] + RefEventSettings.configKeys + [
            HostConfigKey(
                name: "peers",
                read: { node, config in
                    switch parsePeers(node) {
                    case .success(let peers): config.peers = peers
                    case .failure(let why): return why.message
                    }
                    return nil
                }, example: { _ in "[]" }
            ).heading("Federation").about(
                """
                Other dehub hosts, as base URLs: a clone of a repository this host lacks that a peer lists in its
                /.well-known/dehub/repos.json is redirected there (public repositories only), e.g.
                  peers: [https://a.example.org, https://b.example.org]
                """),
            .integer("mirror_poll_seconds", \.mirrorPollSeconds, .positive(max: 86_400 * 7)).about(
                """
                Seconds between polls of each mirror's upstream; an upstream dehub host's event stream starts a sync
                at once, the poll is the fallback.
                """),

            .text("cluster_etcd", \.clusterEtcd)
                .heading("Cluster mode (docs/cluster.md); leave cluster_etcd out for a single host")
                .commentedOut(example: "http://127.0.0.1:2379,http://127.0.0.1:22379,http://127.0.0.1:32379"),
            .text("cluster_node_id", \.clusterNodeID).commentedOut(example: "node1"),
            .text("cluster_advertise", \.clusterAdvertise).commentedOut(example: "http://10.0.0.1:8080"),
            .integer("cluster_replicas", \.clusterReplicas, .positive(atMost: 100)).commentedOut(),
            .text("cluster_secret_file", \.clusterSecretFile).commentedOut(example: "/etc/dehub/cluster-secret"),
        ]

    /// A user name without spaces or punctuation (`anonymous_ssh_user`).
    static func isUserName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    /// The file written at first start: every key with its default and what it means.
    public static var defaultFileText: String {
        var text = """
            # dehub-host configuration: a flat YAML mapping, one `key: value` per line.
            # Restart dehub-host after a change. Unknown keys are an error.

            """
        var inSection = false
        for key in table {
            inSection = inSection || key.heading != nil
            text += key.fileText(defaults: HostConfig(), inSection: inSection)
        }
        return text
    }

    /// Parses the file strictly with the same YAML reader as the hook (no anchors, aliases, tags or duplicate
    /// keys; a bounded size): a mapping of known keys to scalars. Errors name the line.
    public static func parse(_ text: String) -> Result<HostConfig, HostError> {
        let root: YAMLNode?
        do {
            root = try StrictYAMLReader.read(
                Array(text.utf8), limits: YAMLLimits(maxBytes: 64 * 1024, maxDepth: 4, maxNodes: 200))
        } catch let error as YAMLError {
            let place = error.mark.map { "host config line \($0.line)" } ?? "host config"
            return .failure(HostError(.config, "\(place): \(error.message)"))
        } catch {
            return .failure(HostError(.config, "host config: \(error)"))
        }
        guard let root else { return .success(HostConfig()) }
        guard case .mapping(let pairs, _) = root else {
            return .failure(HostError(.config, "host config line \(root.mark.line): expected `key: value` lines"))
        }
        var config = HostConfig()
        for (keyScalar, node) in pairs {
            let problem =
                if let key = table.first(where: { $0.name == keyScalar.value }) {
                    key.read(node, &config)
                } else {
                    "unknown key '\(keyScalar.value)'"
                }
            if let problem { return .failure(HostError(.config, "host config line \(keyScalar.mark.line): \(problem)")) }
        }
        if let reserved = config.reservedGitProcesses, reserved >= config.maxGitProcesses {
            return .failure(
                HostError(
                    .config,
                    "host config: reserved_git_processes (\(reserved)) must be "
                        + "less than max_git_processes (\(config.maxGitProcesses)), or no one else could run git"))
        }
        return .success(config)
    }

    /// `peers`: a list of http(s) base URLs, at most 64.
    static func parsePeers(_ node: YAMLNode) -> Result<[String], HostError> {
        guard case .sequence(let items, _) = node else {
            return .failure(HostError(.config, "peers must be a list of base URLs, e.g. [https://a.example.org]"))
        }
        guard items.count <= 64 else { return .failure(HostError(.config, "peers may list at most 64 hosts")) }
        var peers: [String] = []
        for item in items {
            guard case .scalar(let scalar) = item else {
                return .failure(HostError(.config, "peers must be a list of base URLs"))
            }
            let url = scalar.value
            let lower = url.lowercased()
            guard (lower.hasPrefix("http://") || lower.hasPrefix("https://")), url.utf8.count <= 512, !url.contains("?"),
                !url.contains("#"), url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F })
            else { return .failure(HostError(.config, "peer '\(url)' is not an http:// or https:// base URL")) }
            peers.append(url.hasSuffix("/") ? String(url.dropLast()) : url)
        }
        return .success(peers)
    }
}
