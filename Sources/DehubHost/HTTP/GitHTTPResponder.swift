import DehubCluster
import DehubWeb
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTPTypes

/// Smart HTTP: `info/refs` advertisements, `git-upload-pack` and `git-receive-pack`, and `GET /`.
/// Git runs with `--stateless-rpc`; the response body's task reads git's output and writes it to the
/// client itself, so git is paused while the client is slow. Whatever ends a run early (a failed write, the
/// request body failing, cut short, over its limit or stalled, git idle too long) kills git's process group
/// and closes the connection, so the client never waits on a response that cannot complete.
public struct GitHTTPResponder: HTTPResponder {
    public typealias Context = HostRequestContext

    let services: HostServices
    /// The web view (`WebRoute`): pages for browsers beside smart HTTP, under the same access rules.
    let web: WebSite

    public init(services: HostServices) {
        self.services = services
        self.web = WebSite(verdictDirectory: services.data.root + "/web-verdicts")
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        if let tunnel = ClusterTunnelTarget.parse(path: request.uri.path) {
            return await clusterTunnel(tunnel, request: request, context: context)
        }
        let target = HTTPTarget.parse(method: request.method.rawValue, path: request.uri.path, query: request.uri.query)
        let identity: Identity
        let caller = await clusterCaller(request, target)
        switch (caller, BasicAuthorization.parse(request.headers[.authorization])) {
        case (.refused(let message), _):
            return log(request, started, .anonymous, plain(.forbidden, message))
        case (.node(let asserted, _), _):
            identity = asserted
        case (.client, .none):
            identity = .anonymous
        case (.client, .token(let token)):
            guard let key = services.tokens.identity(forToken: token) else {
                return log(request, started, .anonymous, plain(.unauthorized, "invalid token", challenge: true))
            }
            identity = .key(key)
        case (.client, .malformed):
            return log(request, started, .anonymous, plain(.unauthorized, "malformed Authorization header", challenge: true))
        }
        if target.credentialsRequired, !identity.isAuthenticated {
            return log(
                request, started, identity,
                plain(
                    .unauthorized,
                    "authentication required: give a token as the password, e.g. http://x:TOKEN@HOST\(HTTPTarget.authenticatedPrefix)/NAME.git",
                    challenge: true))
        }
        if let page = webRoute(request, target) {
            return log(request, started, identity, await web(page, identity: identity, target: target))
        }
        switch target.route {
        case .index:
            return log(request, started, identity, await index(identity))
        case .events(let rawNames):
            return log(request, started, identity, await events(rawNames, request: request, context: context, identity: identity))
        case .directory:
            return log(request, started, identity, await directory())
        case .dumb:
            return log(request, started, identity, plain(.forbidden, "dumb HTTP is not supported; use git 1.6.6 or later"))
        case .notFound:
            return log(request, started, identity, plain(.notFound, "repository not found"))
        case .methodNotAllowed:
            return log(request, started, identity, plain(.methodNotAllowed, "method not allowed"))
        case .advertisement(let rawName, let service), .rpc(let rawName, let service):
            if let routed = await clusterRoute(rawName, service, request: request, identity: identity, caller: caller) {
                return log(request, started, identity, routed)
            }
            return await serve(target, request: request, context: context, identity: identity, started: started)
        }
    }

    /// In cluster mode, a request for a repo whose copy here is not in step goes to a node whose copy is.
    private func clusterRoute(
        _ rawName: String, _ service: GitService, request: Request, identity: Identity, caller: ClusterCaller
    ) async -> Response? {
        guard let cluster = services.cluster, let name = RepoName.validated(rawName) else { return nil }
        let proxied = if case .node = caller { true } else { false }
        switch await cluster.route(name, proxied: proxied) {
        case .local: return nil
        case .proxy(let url):
            let headers = cluster.tokenHeaders(
                to: url, repo: name.path, service: service.rawValue, acting: NodeActing(identity))
            return await ClusterProxy.forward(request, to: url, headers: headers, logger: services.logger)
        case .unavailable(let reason):
            var response = ClusterProxy.plain(.serviceUnavailable, reason)
            response.headers[.retryAfter] = "1"
            return response
        }
    }

    private func serve(
        _ target: HTTPTarget, request: Request, context: Context, identity: Identity, started: ContinuousClock.Instant
    ) async -> Response {
        switch target.route {
        case .index, .events, .directory, .dumb, .notFound, .methodNotAllowed:
            return log(request, started, identity, plain(.notFound, "repository not found"))
        case .advertisement(let rawName, let service):
            switch await services.gate.authorize(identity, rawName: rawName, service: service, transport: .http) {
            case .failure(let denial):
                if !target.credentialsRequired, let redirect = await peerRedirect(rawName: rawName, service: service) {
                    return log(request, started, identity, redirect)
                }
                return log(request, started, identity, deny(denial))
            case .success(let grant):
                return await advertise(
                    grant, service, request: request, context: context, identity: identity,
                    started: started, slot: SlotRequest(rawName: rawName, source: context.source))
            }
        case .rpc(let rawName, let service):
            switch await services.gate.authorize(identity, rawName: rawName, service: service, transport: .http) {
            case .failure(let denial): return log(request, started, identity, deny(denial))
            case .success(let grant):
                if let length = request.headers[.contentLength].flatMap(Int.init), length > services.config.maxRequestBodyBytes {
                    return log(
                        request, started, identity,
                        plain(
                            .contentTooLarge,
                            "the request body is larger than the limit of \(services.config.maxRequestBodyBytes) bytes"))
                }
                return await rpc(
                    grant, service, request: request, context: context, identity: identity,
                    started: started, slot: SlotRequest(rawName: rawName, source: context.source))
            }
        }
    }

    // MARK: - git

    /// What the git slot's second access check needs (`AccessGate.takeSlot`).
    struct SlotRequest {
        let rawName: String
        let source: String
    }

    private func advertise(
        _ grant: AccessGate.Grant, _ service: GitService, request: Request, context: Context,
        identity: Identity, started: ContinuousClock.Instant, slot: SlotRequest
    ) async -> Response {
        let environment = services.gitEnvironment(
            protocolHeader: Self.header("git-protocol", in: request), identity: identity, transport: .http)
        let preamble = PktLine.encode("# service=\(service.rawValue)\n") + PktLine.flush
        return await stream(
            service, grant, extraArguments: ["--stateless-rpc", "--advertise-refs"], environment: environment,
            input: nil as GitRequestBody?, preamble: preamble,
            contentType: "application/x-\(service.rawValue)-advertisement",
            request: request, context: context, identity: identity, started: started, slot: slot)
    }

    private func rpc(
        _ grant: AccessGate.Grant, _ service: GitService, request: Request, context: Context,
        identity: Identity, started: ContinuousClock.Instant, slot: SlotRequest
    ) async -> Response {
        let environment = services.gitEnvironment(
            protocolHeader: Self.header("git-protocol", in: request), identity: identity, transport: .http)
        let encoding = request.headers[.contentEncoding]?.lowercased()
        let channel = context.channel
        let input = GitRequestBody(
            body: request.body, gzip: encoding == "gzip" || encoding == "x-gzip",
            limit: services.config.maxRequestBodyBytes,
            announcedLength: request.headers[.contentLength].flatMap(Int.init),
            connectionIsOpen: { channel.isActive })
        return await stream(
            service, grant, extraArguments: ["--stateless-rpc"], environment: environment, input: input,
            preamble: [], contentType: "application/x-\(service.rawValue)-result",
            request: request, context: context, identity: identity, started: started, slot: slot)
    }

    private func stream(
        _ service: GitService, _ allowed: AccessGate.Grant, extraArguments: [String], environment: [String: String],
        input: GitRequestBody?, preamble: [UInt8], contentType: String,
        request: Request, context: Context, identity: Identity, started: ContinuousClock.Instant, slot: SlotRequest
    ) async -> Response {
        let runner = services.runner
        // The git slot is taken before the 200 goes out: "busy" (queue full, or waited too long) is a 503
        // that git shows to the user, not a response cut short. Access is decided again once the slot is
        // taken: the repository may have changed during the wait.
        let permit: ProcessLimiter.Permit
        let grant: AccessGate.Grant
        let channel = context.channel
        switch await services.gate.takeSlot(
            allowed, identity: identity, rawName: slot.rawName, service: service, transport: .http, source: slot.source,
            acquire: { try await runner.limiter.acquire($0, whileOpen: channel) })
        {
        case .granted(let fresh, let taken):
            grant = fresh
            permit = taken
        case .denied(let denial):
            return log(request, started, identity, deny(denial))
        case .busy(let message):
            var response = plain(.serviceUnavailable, message)
            response.headers[.retryAfter] = "5"
            return log(request, started, identity, response)
        case .cancelled:
            return log(request, started, identity, plain(.serviceUnavailable, "the request was cancelled"))
        }
        let environment = grant.gitEnvironment(environment)
        let logger = services.logger
        let method = request.method.rawValue
        let path = request.uri.path
        let idleTimeout = Duration.seconds(services.config.gitIdleTimeoutSeconds)
        let cluster = services.cluster
        let services = self.services
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-cache, max-age=0, must-revalidate"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var status: Int32 = -1
                var failure: (any Error)?
                defer { if service.isPush, input != nil { services.pushEnded(grant) } }
                do {
                    if !preamble.isEmpty { try await writer.write(ByteBuffer(bytes: preamble)) }
                    status = try await runner.run(
                        service, repoPath: grant.path, extraArguments: extraArguments, environment: environment,
                        input: input, permit: permit, idleTimeout: idleTimeout,
                        // The response may be under way: closing the connection is the only way to tell the client,
                        // and it fails a write that waits on a client that stopped reading.
                        onAbort: { _ in channel.close(promise: nil) },
                        // git's output goes into the connection from its own event loop, as body parts written
                        // between the head and the end that the writer sends.
                        relay: GitOutputRelay(target: channel, wrap: { NIOAny(HTTPResponsePart.body($0)) }),
                        stderr: { chunk in
                            logger.debug("git stderr", metadata: ["repo": "\(grant.name)", "text": "\(String(buffer: chunk))"])
                        })
                    // Cluster mode: git dies ("ref updates aborted by hook") when the cluster refuses a push's refs, and a
                    // response that ends cleanly but without git's report leaves git's HTTP client waiting: cut it.
                    if let cluster, service.isPush, status != 0 {
                        try await ClusterPushAborted.tell(environment, cluster: cluster, writer: &writer)
                        throw ClusterPushAborted(status: status)
                    }
                    try await writer.finish(nil)
                } catch {
                    failure = error
                }
                var metadata: Logger.Metadata = [
                    "method": "\(method)", "path": "\(path)", "identity": "\(identity)", "service": "\(service.rawValue)",
                    "git_status": "\(status)", "ms": "\(Self.milliseconds(since: started))",
                ]
                if let failure { metadata["error"] = "\(failure)" }
                logger.info("http \(method) \(path)", metadata: metadata)
                if let failure { throw failure }
            })
    }

    // MARK: - web view

    /// The page a request asks for, when it is one (the path under `/auth` when credentials were required).
    private func webRoute(_ request: Request, _ target: HTTPTarget) -> WebRoute? {
        var path = request.uri.path
        if target.credentialsRequired { path = String(path.dropFirst(HTTPTarget.authenticatedPrefix.count)) }
        return WebRoute.parse(method: request.method.rawValue, path: path.isEmpty ? "/" : path, query: request.uri.query)
    }

    private func web(_ page: WebRoute, identity: Identity, target: HTTPTarget) async -> Response {
        let answer = await web.respond(
            page, repositories: HostWebRepositories(services: services, identity: identity),
            prefix: target.credentialsRequired ? HTTPTarget.authenticatedPrefix : "")
        return Response(answer)
    }

    // MARK: - answers

    private func index(_ identity: Identity) async -> Response {
        var rows: [String] = []
        for name in services.gate.store.list() where await services.gate.canSee(identity, name) {
            let ssh = Self.escape(services.urls.ssh(name))
            let http = Self.escape(services.urls.http(name))
            rows.append(
                "<tr><td>\(Self.escape(name.path))</td><td><code>git clone \(http)</code></td><td><code>git clone \(ssh)</code></td></tr>"
            )
        }
        let html = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>dehub-host</title></head>
            <body><h1>Repositories</h1>
            <table><tr><th>name</th><th>HTTP</th><th>SSH</th></tr>
            \(rows.joined(separator: "\n"))
            </table></body></html>

            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    func deny(_ denial: AccessDenial) -> Response {
        switch denial {
        case .authenticationRequired:
            return plain(.unauthorized, "repository not found, or authentication required", challenge: true)
        case .notFound:
            return plain(.notFound, denial.message)
        case .firstPushNeedsAdminOverSSH, .pushNeedsMembership, .adminOnly, .readOnlyMirror, .clusterNodeReadsOnly:
            return plain(.forbidden, denial.message)
        }
    }

    /// A text/plain answer: git prints its body to the user as `remote: ...`.
    func plain(_ status: HTTPResponse.Status, _ message: String, challenge: Bool = false) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        if challenge { headers[.wwwAuthenticate] = "Basic realm=\"dehub-host\"" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }

    private func log(_ request: Request, _ started: ContinuousClock.Instant, _ identity: Identity, _ response: Response)
        -> Response
    {
        services.logger.info(
            "http \(request.method.rawValue) \(request.uri.path)",
            metadata: [
                "status": "\(response.status.code)", "identity": "\(identity)", "ms": "\(Self.milliseconds(since: started))",
            ])
        return response
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// A header by its lower-case name (avoids importing HTTPTypes for `HTTPField.Name`).
    static func header(_ canonicalName: String, in request: Request) -> String? {
        request.headers.first(where: { $0.name.canonicalName == canonicalName })?.value
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
