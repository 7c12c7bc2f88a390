import DehubCluster

/// What makes a host a cluster node: the etcd endpoints, its id, the URL other nodes reach it at, and how many
/// replicas each repo has. From `serve --cluster-etcd --node-id --advertise` or the host config (flags win).
public struct ClusterSettings: Equatable, Sendable {
    public var endpoints: EtcdEndpoints
    public var nodeID: String
    /// Empty: the HTTP address the node listens on (fine on one machine; give the real URL on several).
    public var advertise: String
    public var replicas: Int
    /// The secret every node shares (`cluster_secret_file`): nodes sign their requests to each other with it
    /// (`NodeToken`); nil only in settings made by hand for tests that never talk to another node.
    public var secret: ClusterSecret?
    /// The etcd key prefix (tests use one cluster for several).
    public var prefix: String = "/dehub"
    /// The node's registration lease; a node that stops renewing it leaves the cluster after this long.
    public var leaseSeconds: Int = 5
    /// How long one store call may take before the push is refused ("cluster store unavailable").
    public var storeTimeout: Duration = .seconds(3)
    /// Tests only: die at this point of a push's commit.
    public var testFault: ClusterFault? = nil

    public init(endpoints: EtcdEndpoints, nodeID: String, advertise: String, replicas: Int, secret: ClusterSecret? = nil) {
        self.secret = secret
        self.endpoints = endpoints
        self.nodeID = nodeID
        self.advertise = advertise
        self.replicas = replicas
    }

    /// The settings from flags over the host config; nil when neither names etcd (a single host).
    public static func resolve(
        etcd: String?, nodeID: String?, advertise: String?, secretFile: String? = nil, config: HostConfig
    ) throws -> ClusterSettings? {
        let etcdText = etcd ?? config.clusterEtcd
        let id = nodeID ?? config.clusterNodeID
        let url = advertise ?? config.clusterAdvertise
        let secretPath = secretFile ?? config.clusterSecretFile
        guard !etcdText.isEmpty else {
            if !id.isEmpty || !url.isEmpty || !secretPath.isEmpty {
                throw HostError(
                    .usage,
                    "--node-id, --advertise and --cluster-secret-file need --cluster-etcd (or cluster_etcd in the host config)")
            }
            return nil
        }
        let endpoints: EtcdEndpoints
        switch EtcdEndpoints.parse(etcdText) {
        case .success(let parsed): endpoints = parsed
        case .failure(let problem): throw HostError(.usage, "--cluster-etcd: \(problem)")
        }
        guard ClusterKeys.isValidNodeID(id) else {
            throw HostError(
                .usage, id.isEmpty ? "cluster mode needs --node-id ID" : "--node-id '\(id)' is not a node id",
                hint: "1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit")
        }
        guard url.isEmpty || (url.hasPrefix("http://") || url.hasPrefix("https://")) && url.count > 8 && !url.contains(" ")
        else {
            throw HostError(
                .usage, "--advertise '\(url)' is not an http(s) URL",
                hint: "this node's HTTP URL as the other nodes reach it, e.g. http://10.0.0.1:8080")
        }
        var trimmed = url
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return ClusterSettings(
            endpoints: endpoints, nodeID: id, advertise: trimmed, replicas: config.clusterReplicas,
            secret: try loadSecret(secretPath))
    }

    /// The shared secret: required in cluster mode, from a file only its owner can read.
    static func loadSecret(_ path: String) throws -> ClusterSecret {
        guard !path.isEmpty else {
            throw HostError(
                .usage, "cluster mode needs --cluster-secret-file FILE (or cluster_secret_file in the host config)",
                hint:
                    "the same file on every node, at least 32 random bytes, mode 0600: (umask 077; head -c 48 /dev/urandom | base64 > FILE)"
            )
        }
        do {
            return try ClusterSecret.load(path: path)
        } catch {
            throw HostError(.usage, "--cluster-secret-file: \(error.message)")
        }
    }
}
