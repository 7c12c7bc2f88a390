import DehubCore

/// How the client reaches hosts: the programs it runs (the system's `curl` and `ssh`, so that proxies, CA
/// certificates, ssh agents, keys and known_hosts are the user's own) and how long a stream may stay silent.
public struct EventClientOptions: Sendable {
    /// The ssh command as git would run it: `GIT_SSH_COMMAND` / `core.sshCommand` (a shell command), or a program.
    public var sshCommand: SSHCommand = .program("ssh")
    public var curl = "curl"
    /// With keep-alives every 15 s at most, a stream silent this long is dead (the host vanished): reconnect.
    public var readTimeout: Duration = .seconds(45)

    public enum SSHCommand: Equatable, Sendable {
        case shell(String)
        case program(String)
    }

    public init() {}

    /// argv for `ssh [-p PORT] DESTINATION COMMAND`.
    func sshArguments(destination: String, port: Int?, command: String) -> (String, [String]) {
        var arguments: [String] = []
        if let port { arguments += ["-p", String(port)] }
        arguments += [destination, command]
        switch sshCommand {
        case .program(let program):
            return (program, arguments)
        case .shell(let text):
            // Like git: `sh -c 'CMD "$@"'`; `exec`, so that stopping the shell stops ssh.
            let first = text.split(separator: " ").first ?? ""
            let prefix = first.contains("=") ? "" : "exec "
            return ("sh", ["-c", prefix + text + " \"$@\"", "ssh"] + arguments)
        }
    }
}

/// How one connection ended.
public enum ConnectionEnd: Equatable, Sendable {
    /// The host closed the stream (its maximum age, a restart): reconnect.
    case closed
    /// The host refused the watcher (not found, authentication required, too many watchers): an error to show.
    case refused(String)
    /// The host ended the stream with a reason (dropped as too slow, shutting down).
    case ended(String)
    /// No connection, or it broke or fell silent: reconnect.
    case failed(String)
    /// The stream broke the protocol: an error to show, then reconnect.
    case malformed(String)
}

/// One connection to an event stream: runs `curl` (SSE) or `ssh ... watch` (lines) and hands each message on.
enum EventConnection {
    static func run(
        _ endpoint: EventEndpoint, lastEventID: String?, options: EventClientOptions,
        onRetry: (Int) -> Void = { _ in }, onMessage: (RefStreamMessage) async throws -> Void
    ) async -> ConnectionEnd {
        switch endpoint {
        case .http(let url, let user, let password):
            return await http(
                url: url, user: user, password: password, lastEventID: lastEventID, options: options, onRetry: onRetry,
                onMessage: onMessage)
        case .ssh(let destination, let port, let repo):
            return await ssh(destination: destination, port: port, repo: repo, options: options, onMessage: onMessage)
        }
    }

    struct Malformed: Error { let why: String }
    struct HostEnded: Error { let why: String }

    /// curl reads its settings from stdin (`--config -`), so that a token never shows in a process list.
    static func curlConfig(url: String, user: String?, password: String?, lastEventID: String?) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
        }
        var lines = [
            "url = " + quoted(url), "header = " + quoted("Accept: text/event-stream"),
            "write-out = " + quoted("%{stderr}dehub-http-status %{http_code}\\n"),
        ]
        if let lastEventID, lastEventID.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) {
            lines.append("header = " + quoted("Last-Event-ID: " + lastEventID))
        }
        if let user { lines.append("user = " + quoted(user + ":" + (password ?? ""))) }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func http(
        url: String, user: String?, password: String?, lastEventID: String?, options: EventClientOptions,
        onRetry: (Int) -> Void, onMessage: (RefStreamMessage) async throws -> Void
    ) async -> ConnectionEnd {
        var decoder = SSEDecoder()
        var head: [UInt8] = []
        var sawEvent = false
        do {
            let outcome = try await StreamingProcess.run(
                options.curl,
                arguments: [
                    "--silent", "--show-error", "--no-buffer", "--fail-with-body", "--proto", "=http,https",
                    "--connect-timeout", "20", "--config", "-",
                ],
                input: Array(curlConfig(url: url, user: user, password: password, lastEventID: lastEventID).utf8),
                readTimeout: options.readTimeout
            ) { chunk in
                if head.count < 4096 { head += chunk.prefix(4096 - head.count) }
                let events: [SSEEvent]
                do { events = try decoder.feed(chunk) } catch { throw Malformed(why: "\(error)") }
                if let retry = decoder.reconnectionTime { onRetry(retry) }
                for event in events {
                    let message: RefStreamMessage?
                    do { message = try RefStreamSSE.message(event) } catch { throw Malformed(why: "\(error)") }
                    guard let message else { continue }
                    sawEvent = true
                    if case .error(let why) = message { throw HostEnded(why: why) }
                    try await onMessage(message)
                }
            }
            if outcome.timedOut { return .failed("no data for \(options.readTimeout.components.seconds) s") }
            let status = httpStatus(outcome.stderr)
            if outcome.status == 22, let status, !sawEvent {
                let body = String(decoding: head, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
                let text = "HTTP \(status): " + (body ?? "refused")
                return status >= 500 && status != 503 ? .failed(text) : .refused(text)
            }
            if outcome.status == 0 { return .closed }
            return .failed(curlMessage(outcome.stderr) ?? "curl exited with status \(outcome.status)")
        } catch let error as Malformed {
            return .malformed(error.why)
        } catch let error as HostEnded {
            return .ended(error.why)
        } catch {
            return .failed("cannot run \(options.curl): \(error)")
        }
    }

    private static func ssh(
        destination: String, port: Int?, repo: String, options: EventClientOptions,
        onMessage: (RefStreamMessage) async throws -> Void
    ) async -> ConnectionEnd {
        var pending: [UInt8] = []
        var sawReady = false
        let (program, arguments) = options.sshArguments(destination: destination, port: port, command: "watch " + repo)
        do {
            let outcome = try await StreamingProcess.run(
                program, arguments: arguments, input: [], readTimeout: options.readTimeout
            ) { chunk in
                pending += chunk
                while let newline = pending.firstIndex(of: 0x0a) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                    pending.removeFirst(newline + 1)
                    let message: RefStreamMessage?
                    do { message = try RefStreamLine.parse(line) } catch { throw Malformed(why: "\(error)") }
                    guard let message else { continue }
                    if case .ready = message { sawReady = true }
                    if case .error(let why) = message { throw HostEnded(why: why) }
                    try await onMessage(message)
                }
                guard pending.count <= RefStreamLine.maxLineBytes else { throw Malformed(why: "line too long") }
            }
            if outcome.timedOut { return .failed("no data for \(options.readTimeout.components.seconds) s") }
            let message = lastLine(outcome.stderr)
            if outcome.status == 0 { return .closed }
            // 255 is ssh's own failure (no connection, no login); another status is the host's answer.
            if outcome.status != 255, !sawReady { return .refused(message ?? "ssh exited with status \(outcome.status)") }
            return .failed(message ?? "ssh exited with status \(outcome.status)")
        } catch let error as Malformed {
            return .malformed(error.why)
        } catch let error as HostEnded {
            return .ended(error.why)
        } catch {
            return .failed("cannot run \(program): \(error)")
        }
    }

    static func httpStatus(_ stderr: String) -> Int? {
        for line in stderr.split(whereSeparator: \.isNewline).reversed() where line.hasPrefix("dehub-http-status ") {
            return Int(line.dropFirst("dehub-http-status ".count))
        }
        return nil
    }

    static func curlMessage(_ stderr: String) -> String? {
        lastLine(
            String(
                stderr.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("dehub-http-status ") }.joined(separator: "\n")))
    }

    static func lastLine(_ text: String) -> String? {
        text.split(whereSeparator: \.isNewline).last.map { String($0).trimmingSpaces() }.flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    func trimmingSpaces() -> String {
        String(
            drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed().drop(while: {
                $0 == " " || $0 == "\t" || $0 == "\r"
            }).reversed())
    }
}
