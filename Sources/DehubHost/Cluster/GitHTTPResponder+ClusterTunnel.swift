import DehubCluster
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The serving end of an SSH session another node proxies (`ClusterSSHTunnel` is the other end): the node token
/// names the client, this node applies that client's access rules with transport SSH, takes a git slot as any
/// request does, and runs git with every bound of a local session (the git idle timeout, the request body's limit
/// and timeout, `receive.maxInputSize`). git's stdout, stderr and exit status go back as `TunnelFrame`s.
extension GitHTTPResponder {
    func clusterTunnel(_ tunnel: ClusterTunnelTarget, request: Request, context: Context) async -> Response {
        let started = ContinuousClock.now
        guard let cluster = services.cluster else { return plain(.notFound, "not found") }
        guard request.method == .post else { return plain(.methodNotAllowed, "method not allowed") }
        let token = Self.header(NodeToken.header.lowercased(), in: request)
        let acting = Self.header(NodeToken.actingHeader.lowercased(), in: request)
        guard token != nil, let name = RepoName.validated(tunnel.rawName) else {
            return plain(.forbidden, "the cluster's SSH tunnel takes requests from the cluster's nodes only")
        }
        let identity: Identity
        switch await cluster.caller(token: token, acting: acting, repo: name.path, service: tunnel.scopeService) {
        case .node(.clusterNode, _), .client:
            return plain(.forbidden, "a replication token opens no SSH session")
        case .node(let asserted, _):
            identity = asserted
        case .refused(let message):
            return plain(.forbidden, message)
        }
        if case .unavailable(let reason) = await cluster.route(name, proxied: true) {
            var response = plain(.serviceUnavailable, reason)
            response.headers[.retryAfter] = "1"
            return response
        }
        // From here the answer is the session itself: refusals travel as its stderr and exit status.
        let service = tunnel.service
        let first: AccessGate.Grant
        switch await services.gate.authorize(identity, rawName: tunnel.rawName, service: service, transport: .ssh) {
        case .failure(let denial): return Self.session([.stderr(Self.denialText(denial, identity)), .exit(1)])
        case .success(let grant): first = grant
        }
        let runner = services.runner
        let channel = context.channel
        let grant: AccessGate.Grant
        let permit: ProcessLimiter.Permit
        switch await services.gate.takeSlot(
            first, identity: identity, rawName: tunnel.rawName, service: service, transport: .ssh, source: context.source,
            acquire: { try await runner.limiter.acquire($0, whileOpen: channel) })
        {
        case .granted(let fresh, let taken):
            grant = fresh
            permit = taken
        case .denied(let denial):
            return Self.session([.stderr(Self.denialText(denial, identity)), .exit(1)])
        case .busy(let message):
            return Self.session([.stderr(Array("dehub-host: \(message)\n".utf8)), .exit(1)])
        case .cancelled:
            return plain(.serviceUnavailable, "the request was cancelled")
        }
        let environment = grant.gitEnvironment(
            services.gitEnvironment(
                protocolHeader: Self.header("git-protocol", in: request), identity: identity, transport: .ssh))
        let input = TunnelStdin(
            body: GitRequestBody(
                body: request.body, gzip: false, limit: services.config.maxRequestBodyBytes,
                connectionIsOpen: { channel.isActive }))
        let idleTimeout = Duration.seconds(services.config.gitIdleTimeoutSeconds)
        let services = self.services
        let logger = services.logger
        var headers = HTTPFields()
        headers[.contentType] = "application/x-dehub-ssh-tunnel"
        headers[.cacheControl] = "no-cache"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                // git's stderr is kept (bounded) and sent between stdout frames and at the end: the writer has one owner.
                let errors = TunnelStderr()
                func flushErrors(_ writer: inout any ResponseBodyWriter) async throws {
                    let pending = errors.take()
                    if !pending.isEmpty { try await writer.write(ByteBuffer(bytes: TunnelFrame.stderr(pending).encoded)) }
                }
                defer { if service.isPush { services.pushEnded(grant) } }
                var status: Int32 = -1
                do {
                    status = try await runner.run(
                        service, repoPath: grant.path, environment: environment, input: input, permit: permit,
                        idleTimeout: idleTimeout, onAbort: { _ in channel.close(promise: nil) },
                        stdout: { chunk in
                            try await flushErrors(&writer)
                            try await writer.write(ByteBuffer(bytes: TunnelFrame.data(chunked: Array(buffer: chunk))))
                        },
                        stderr: { chunk in errors.append(Array(buffer: chunk)) })
                    try await flushErrors(&writer)
                    try await writer.write(ByteBuffer(bytes: TunnelFrame.exit(status).encoded))
                    try await writer.finish(nil)
                } catch let error as HostError {
                    try await writer.write(
                        ByteBuffer(
                            bytes: (TunnelFrame.stderr(Array("dehub-host: \(error.message)\n".utf8)).encoded
                                + TunnelFrame.exit(1).encoded)))
                    try await writer.finish(nil)
                }
                logger.info(
                    "ssh (tunnelled) \(service.rawValue) \(grant.name)",
                    metadata: [
                        "identity": "\(identity)", "git_status": "\(status)", "ms": "\(Self.milliseconds(since: started))",
                    ])
            })
    }

    /// A whole session in one answer (a refusal).
    static func session(_ frames: [TunnelFrame]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-dehub-ssh-tunnel"
        return Response(
            status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: frames.flatMap(\.encoded))))
    }

    /// What a local SSH session prints for a refusal (`SSHSession.deny`).
    static func denialText(_ denial: AccessDenial, _ identity: Identity) -> [UInt8] {
        var message = "dehub-host: \(denial.message)\n"
        if !identity.isAuthenticated, denial != .notFound { message += SSHSession.keyHint }
        return Array(message.utf8)
    }
}

/// git's stderr on the serving end of a tunnel, until the response's writer sends it (at most 64 KiB waiting).
final class TunnelStderr: Sendable {
    private let bytes = Mutex<[UInt8]>([])

    func append(_ chunk: [UInt8]) {
        bytes.withLock { if $0.count < 64 * 1024 { $0 += chunk.prefix(64 * 1024 - $0.count) } }
    }

    func take() -> [UInt8] {
        bytes.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }
}
