import Logging

/// What one SSH session runs, apart from channel I/O: parse the command, ask the gate, run git or
/// the admin command, and report. Shared messages keep attacker-visible answers uniform.
struct SSHSession: Sendable {
    let services: HostServices
    let identity: Identity
    let connection: SSHConnection
    let environment: [String: String]
    let input: SSHInbound.Bytes
    let output: SSHSessionOutput

    static let keyHint = """
        dehub-host: you are not logged in with a key. The embedded SSH server accepts Ed25519, ECDSA, RSA \
        (rsa-sha2-256/512 signatures) and security keys (sk-ssh-ed25519, sk-ecdsa-sha2-nistp256): log in as git@ \
        with a key an admin of this host added (as an admin, or as a reader or member of a repository).

        """

    func run(command: String?) async {
        let started = ContinuousClock.now
        guard let command else {
            let greeting = await services.admin.run(["whoami"], identity: identity)
            await output.finish(
                status: 0,
                stdout: "Hi! This is dehub-host; it gives no shell.\n" + greeting.stdout
                    + AdminCommand.usage + "\n")
            log("shell", status: 0, started: started)
            return
        }
        switch SSHCommandLine.parse(command) {
        case .failure(let error):
            await output.finish(status: 64, stderr: "dehub-host: \(error)\n")
            log(command, status: 64, started: started)
        case .success(.admin(let words)):
            let outcome = await services.admin.run(words, identity: identity)
            var stderr = outcome.stderr
            if outcome.status != 0, !identity.isAuthenticated { stderr += Self.keyHint }
            await output.finish(status: outcome.status, stdout: outcome.stdout, stderr: stderr)
            log(command, status: outcome.status, started: started)
        case .success(.git(let service, let rawName)):
            let status = await runGit(service, rawName: rawName)
            log(command, status: status, started: started)
        case .success(.watch(let rawNames)):
            let status = await watch(rawNames)
            log(command, status: status, started: started)
        }
    }

    private func runGit(_ service: GitService, rawName: String) async -> Int32 {
        // Cluster mode: a repo this node does not serve in step is served by a replica that does, through a tunnel
        // under this node's identity, with the client's own access rules (when none is known, the local answer).
        if let cluster = services.cluster, let name = RepoName.validated(rawName),
            case .proxy(let url) = await cluster.route(name, proxied: false)
        {
            return await ClusterSSHTunnel.run(
                to: url, name: name, service: service, identity: identity, gitProtocol: environment["GIT_PROTOCOL"],
                input: input, output: output, cluster: cluster, logger: services.logger)
        }
        let gate = services.gate
        let first: AccessGate.Grant
        switch await gate.authorize(identity, rawName: rawName, service: service, transport: .ssh) {
        case .failure(let denial): return await deny(denial)
        case .success(let grant): first = grant
        }
        // Access is decided again once a slot is free: the repository may have changed during the wait.
        connection.beginWaiting()
        let outcome = await gate.takeSlot(
            first, identity: identity, rawName: rawName, service: service, transport: .ssh,
            source: connection.source, limiter: services.runner.limiter)
        connection.endWaiting()
        let grant: AccessGate.Grant
        let permit: ProcessLimiter.Permit
        switch outcome {
        case .granted(let fresh, let taken):
            grant = fresh
            permit = taken
        case .denied(let denial):
            return await deny(denial)
        case .busy(let message):
            await output.finish(status: 1, stderr: "dehub-host: \(message)\n")
            return 1
        case .cancelled:
            await output.finish(status: 1)
            return -1
        }
        let output = self.output
        defer { if service.isPush { services.pushEnded(grant) } }
        do {
            let status = try await services.runner.run(
                service, repoPath: grant.path, environment: grant.gitEnvironment(environment), input: input,
                permit: permit, idleTimeout: .seconds(services.config.gitIdleTimeoutSeconds),
                // A stopped git: close the session, so that a write waiting on a client that stopped reading fails.
                onAbort: { _ in output.close() },
                // git's stdout is read by the connection's thread itself, straight into the channel.
                takeOutput: { fd, onRead in try await output.relay(descriptor: fd, onRead: onRead) },
                stderr: { try await output.write($0, stderr: true) })
            await output.finish(status: status)
            return status
        } catch let error as HostError {
            await output.finish(status: 1, stderr: "dehub-host: \(error.message)\n")
            return 1
        } catch {
            // The client went away or a write failed: git's process group is already killed.
            await output.finish(status: 1)
            return -1
        }
    }

    private func deny(_ denial: AccessDenial) async -> Int32 {
        var message = "dehub-host: \(denial.message)\n"
        if !identity.isAuthenticated, denial != .notFound { message += Self.keyHint }
        await output.finish(status: 1, stderr: message)
        return 1
    }

    private func log(_ command: String, status: Int32, started: ContinuousClock.Instant) {
        services.logger.info(
            "ssh \(command.prefix(200))",
            metadata: [
                "identity": "\(identity)", "status": "\(status)", "ms": "\(GitHTTPResponder.milliseconds(since: started))",
            ])
    }
}
