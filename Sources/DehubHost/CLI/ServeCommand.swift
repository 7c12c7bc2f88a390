import ArgumentParser
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the repositories over SSH and smart HTTP.")

    @OptionGroup var data: DataOption

    @Option(help: "SSH listen address HOST:PORT (port 0: any free port); 'off' to disable.")
    var ssh: String = "127.0.0.1:2222"

    @Option(help: "HTTP listen address HOST:PORT (port 0: any free port); 'off' to disable.")
    var http: String = "127.0.0.1:8080"

    @Option(help: "The dehub hook binary to install (default: `dehub` next to dehub-host, else on PATH).")
    var hook: String?

    @Option(name: .customLong("admin-key"), help: "An OpenSSH public key file to add to the admins.")
    var adminKey: String?

    @Option(
        help:
            "Who may push: open (anyone; the dehub hook is the gate) or members (admins and the SSH keys of the accounts in .dehub/config.yml on main). Default: push_policy in host-config.yml."
    )
    var push: String?

    @Option(
        name: .customLong("cluster-etcd"),
        help: "Cluster mode: etcd client URLs, comma-separated (docs/cluster.md). Default: cluster_etcd in host-config.yml.")
    var clusterEtcd: String?

    @Option(name: .customLong("node-id"), help: "Cluster mode: this node's id. Default: cluster_node_id in host-config.yml.")
    var nodeID: String?

    @Option(
        help:
            "Cluster mode: this node's HTTP URL as the other nodes reach it. Default: cluster_advertise in host-config.yml, else the HTTP listen address."
    )
    var advertise: String?

    @Option(
        name: .customLong("cluster-secret-file"),
        help: "Cluster mode: the secret every node shares (mode 0600). Default: cluster_secret_file in host-config.yml.")
    var clusterSecretFile: String?

    @Option(name: .customLong("cluster-prefix"), help: .hidden)
    var clusterPrefix: String?

    @Option(name: .customLong("cluster-test-fault"), help: .hidden)
    var clusterTestFault: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        let pushPolicy = try push.map { text -> PushPolicy in
            guard let policy = PushPolicy(rawValue: text) else { throw ValidationError("--push must be open or members") }
            return policy
        }
        let sshAddress = try address(ssh, flag: "--ssh")
        let httpAddress = try address(http, flag: "--http")
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return EscapingLogHandler(handler)
        }
        var logger = Logger(label: "dehub-host")
        logger.logLevel = level
        let server = HostServer(
            options: .init(
                data: data.directory, ssh: sshAddress, http: httpAddress, hook: hook, adminKeyFile: adminKey,
                pushPolicy: pushPolicy,
                clusterFlags: ClusterFlags(
                    etcd: clusterEtcd, nodeID: nodeID, advertise: advertise, prefix: clusterPrefix,
                    testFault: try clusterTestFault.map {
                        guard let fault = ClusterFault(rawValue: $0) else { throw ValidationError("unknown test fault") }
                        return fault
                    }, secretFile: clusterSecretFile)),
            logger: logger)
        try await server.run()
    }

    private func address(_ text: String, flag: String) throws -> HostAddress? {
        if text == "off" { return nil }
        guard let address = HostAddress.parse(text) else { throw ValidationError("\(flag) must be HOST:PORT or off") }
        return address
    }
}
