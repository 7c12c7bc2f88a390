import DehubCore
import Foundation
import Logging

/// What every transport needs: the data directory, settings, the access gate, the git runner.
public struct HostServices: Sendable {
    public let data: DataDirectory
    public let config: HostConfig
    public let gate: AccessGate
    public let runner: GitProcessRunner
    public let tokens: TokenStore
    public let listening: ListenAddresses
    public let logger: Logger
    /// Open connections of both transports, against the connection caps.
    public let connections: ConnectionGuard
    /// The cluster node, in cluster mode (docs/cluster.md); nil for a single host.
    public let cluster: ClusterNode?
    /// The stream of ref changes (`RefEventHub`): published after pushes, read by watchers.
    public let events: RefEventHub
    /// The peers' directories, for redirects (`peers:` in the host config).
    public let peers: PeerDirectory
    /// The mirror scheduler when the host runs one (SSH admin commands ask it for syncs).
    public var mirrors: MirrorScheduler? = nil

    public init(
        data: DataDirectory, config: HostConfig, listening: ListenAddresses = ListenAddresses(), logger: Logger,
        cluster: ClusterNode? = nil
    ) {
        self.data = data
        self.cluster = cluster
        self.config = config
        self.gate = AccessGate(data: data, config: config)
        self.runner = GitProcessRunner(
            limiter: ProcessLimiter(
                limits: config.slotLimits, maxWait: .seconds(config.queueWaitSeconds)))
        self.tokens = TokenStore(path: data.tokensFile)
        self.listening = listening
        self.logger = logger
        self.connections = ConnectionGuard(limits: config.connectionLimits)
        self.events = RefEventHub(settings: config.events, logger: logger)
        self.peers = PeerDirectory(peers: config.peers)
    }

    /// The keys the embedded SSH server lets log in as `git` (see `KnownKeys`).
    public var knownKeys: KnownKeys { KnownKeys(gate: gate, tokens: tokens) }

    /// Clone URLs, from the config or the addresses actually bound.
    public var urls: CloneURLs { CloneURLs(config: config, sshAddress: listening.ssh, httpAddress: listening.http) }

    public var admin: AdminCommandRunner { AdminCommandRunner(gate: gate, urls: urls, mirrors: mirrors, cluster: cluster) }

    /// Environment for the hook and git: the protocol version, and who pushes (for the hook's logs).
    func gitEnvironment(protocolHeader: String?, identity: Identity, transport: Transport) -> [String: String] {
        var environment = ["DEHUB_HOST_TRANSPORT": transport.rawValue]
        if let protocolHeader, GitProtocolHeader.isValid(protocolHeader) { environment["GIT_PROTOCOL"] = protocolHeader }
        if let key = identity.key { environment["DEHUB_HOST_PUSHER"] = key.fingerprint }
        if let cluster {
            environment[ClusterRefRequest.tokenVariable] = cluster.pushToken
            environment[ClusterRefRequest.pushVariable] = UUID().uuidString
        }
        return environment
    }
}

/// `GIT_PROTOCOL` values pass only when they look like git's: `version=2` and `:`-separated `key=value`.
public enum GitProtocolHeader {
    public static func isValid(_ value: String) -> Bool {
        guard !value.isEmpty, value.utf8.count <= 256 else { return false }
        return value.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || "=:._-".utf8.contains(byte)
        }
    }
}
