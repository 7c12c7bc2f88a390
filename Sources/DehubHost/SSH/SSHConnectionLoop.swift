import CLibSSH
import Dispatch
import Foundation
import Glibc
import Logging
import Synchronization

/// One SSH connection on its own thread: libssh's session for it is driven by its own `ssh_event` (the socket, and
/// an eventfd the session tasks wake it with), so a slow or stalled client blocks only its own thread. libssh is
/// touched from this thread only; git runs in tasks (`SSHSession`) that hand output to the thread through the
/// `SSHMailbox` and read input from `SSHInbound`s the thread fills.
///
/// The thread enforces the connection's time limits: log in within `handshake_timeout_seconds`; a session channel
/// asks for a command within `ssh_session_request_timeout_seconds`; no session data for `idle_timeout_seconds`
/// closes the connection (keepalives do not count). When the connection ends, every running session's task is
/// cancelled, which stops its git's process group.
final class SSHConnectionLoop: @unchecked Sendable {
    private let fd: Int32
    private let session: OpaquePointer
    private let services: HostServices
    private let tracker: SSHSessionTracker
    private let login: SSHLogin
    let connection: SSHConnection
    private let guardID: UInt64
    let mailbox: SSHMailbox
    private let stopping = Atomic<Bool>(false)

    // Thread-confined state.
    private var channels: [Int: SSHChannelRecord] = [:]
    private var nextChannelID = 0
    private var isAuthenticated = false
    private var authFailures = 0
    private var bannersSent: Set<String> = []
    /// Keys judged known on this connection (offered, then signed: judged once).
    private var knownOnThisConnection: Set<SSHKeyIdentity> = []
    private var sessionStarted = false
    private var quickAcks = 0
    /// Where the client's input is read into (one buffer for the connection's life, not one per wake-up).
    private var readBuffer = [UInt8](repeating: 0, count: 32 * 1024)
    /// Where git's stdout is read into on its way to libssh (`SSHDirectOutput`), made at the first git run.
    private var outputBuffer: UnsafeMutableRawBufferPointer?
    /// The connection's `ssh_event` while the loop runs (git's stdout pipes are added to it and removed).
    private var event: OpaquePointer?
    private let handshakeDeadline: ContinuousClock.Instant
    private let idleTimeout: Duration
    private let sessionRequestTimeout: Duration

    init(
        fd: Int32, session: OpaquePointer, source: String, guardID: UInt64, services: HostServices,
        tracker: SSHSessionTracker
    ) throws {
        self.fd = fd
        self.session = session
        self.services = services
        self.tracker = tracker
        self.guardID = guardID
        let config = services.config
        self.connection = SSHConnection(source: source, maxSessions: config.sshMaxSessionsPerConnection)
        self.login = SSHLogin(anonymousUser: config.anonymousSSHUser, knownKeys: services.knownKeys, logger: services.logger)
        self.mailbox = try SSHMailbox()
        self.handshakeDeadline = .now + .seconds(config.handshakeTimeoutSeconds)
        self.idleTimeout = .seconds(config.idleTimeoutSeconds)
        self.sessionRequestTimeout = .seconds(config.sshSessionRequestTimeoutSeconds)
    }

    /// From any thread: end the connection (shutdown, or cut to make room). The socket is shut down, so that even
    /// a thread in the middle of a key exchange returns at once.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        shutdown(fd, Int32(SHUT_RDWR))
        mailbox.wake()
    }

    /// The thread's body: key exchange, then the event loop until the connection ends; then cleanup.
    func run() {
        defer { end() }
        let callback: @convention(c) (OpaquePointer?, OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { _, message, data in
            guard let message, let data else { return 1 }
            return Unmanaged<SSHConnectionLoop>.fromOpaque(data).takeUnretainedValue().handle(message)
        }
        let me = Unmanaged.passUnretained(self).toOpaque()
        ssh_set_message_callback(session, callback, me)
        ssh_set_blocking(session, 0)
        ssh_set_auth_methods(session, authPublicKey | authInteractive)
        guard keyExchange() else { return }
        guard let event = ssh_event_new() else { return }
        self.event = event
        defer {
            self.event = nil
            ssh_event_free(event)
        }
        let wake: @convention(c) (Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = { fd, _, _ in
            dehub_drain(fd)
            return 0
        }
        guard ssh_event_add_session(event, session) == SSH_OK,
            ssh_event_add_fd(event, mailbox.wakeFD, Int16(POLLIN), wake, nil) == SSH_OK
        else { return }
        defer {
            for record in channels.values { endDirectOutput(record, SSHChannelGone()) }
            ssh_event_remove_fd(event, mailbox.wakeFD)
            ssh_event_remove_session(event, session)
        }
        while !stopping.load(ordering: .relaxed) {
            // No wait when work is queued: libssh's flush below may have drained the wake-up descriptor.
            let rc = ssh_event_dopoll(event, mailbox.hasWork ? 0 : pollTimeout())
            if rc == SSH_ERROR {
                services.logger.debug("ssh connection ended: \(libsshError)", metadata: ["source": "\(connection.source)"])
                break
            }
            quickAck()
            for work in mailbox.take() { perform(work) }
            pump()
            // Writes made outside libssh's own poll callbacks (pump) may sit in its output buffer until the next
            // wake-up (up to a second): push them to the socket now. (It polls the event's descriptors once, without
            // waiting, so it may drain the mailbox's wake-up: hence `hasWork` above.)
            _ = ssh_blocking_flush(session, 0)
            if !checkDeadlines() { break }
            if ssh_get_status(session) & (SSH_CLOSED | SSH_CLOSED_ERROR) != 0 { break }
        }
    }

    // MARK: - Phases

    /// Runs the key exchange without blocking past the handshake deadline. False when it failed or timed out.
    private func keyExchange() -> Bool {
        while !stopping.load(ordering: .relaxed) {
            let rc = ssh_handle_key_exchange(session)
            if rc == SSH_OK { return true }
            if rc == SSH_ERROR {
                services.logger.info("ssh key exchange failed: \(libsshError)", metadata: ["source": "\(connection.source)"])
                return false
            }
            let left = handshakeDeadline - .now
            if left <= .zero { return false }
            // What libssh queued but could not write yet goes out now: the poll below waits for the client only.
            _ = ssh_blocking_flush(session, 0)
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, Int32(min(1000, max(1, left.ceilingMilliseconds))))
            quickAck()
        }
        return false
    }

    /// libssh's last error on this session.
    private var libsshError: String {
        let pointer = UnsafeMutableRawPointer(session)
        return ssh_get_error(pointer).map { String(cString: $0) } ?? "unknown error"
    }

    /// Acknowledges the client's packets at once during the handshake (Linux `TCP_QUICKACK`, not sticky).
    ///
    /// The OpenSSH client keeps Nagle's algorithm on until its session is open, so during the key exchange and
    /// authentication it holds each small packet until the previous one is acknowledged; the kernel, which
    /// delays acknowledgements by up to 40 ms when the server has nothing to send back yet, would then stall every
    /// round trip. Only for the handshake: later reads carry pack data, where delayed acks are right.
    private func quickAck() {
        guard !sessionStarted, quickAcks < 64 else { return }
        quickAcks += 1
        dehub_tcp_quickack(fd)
    }

    /// Milliseconds until the next deadline (at most a second).
    private func pollTimeout() -> Int32 {
        let now = ContinuousClock.now
        var next = now + .seconds(1)
        if !isAuthenticated { next = min(next, handshakeDeadline) }
        for record in channels.values { if let deadline = record.deadline { next = min(next, deadline) } }
        if isAuthenticated, let idle = connection.idleDeadline(timeout: idleTimeout) { next = min(next, idle) }
        return Int32(max(0, min(1000, (next - now).ceilingMilliseconds)))
    }

    /// Closes what is overdue; false when the connection itself must end.
    private func checkDeadlines() -> Bool {
        let now = ContinuousClock.now
        if !isAuthenticated {
            // Past the version exchange nothing can be said in clear text: the client sees the connection close.
            return now < handshakeDeadline
        }
        for record in Array(channels.values) {
            if let deadline = record.deadline, now >= deadline { drop(record) }
        }
        return !connection.isIdle(for: idleTimeout, now: now)
    }

    /// Ends the connection: cancels the sessions (killing their git), gives the connection's place back.
    private func end() {
        for record in channels.values {
            endDirectOutput(record, SSHChannelGone())
            record.abandon()
            if record.counted { connection.closeSession() }
            ssh_channel_free(record.channel)
        }
        channels.removeAll()
        mailbox.close()
        outputBuffer?.deallocate()
        outputBuffer = nil
        services.connections.close(guardID)
        ssh_disconnect(session)
        ssh_free(session)  // closes the socket
        tracker.remove(self)
    }

    // MARK: - Messages (called by libssh from inside ssh_event_dopoll, on this thread)

    /// 0: answered here; 1: libssh answers with its default (a failure).
    private func handle(_ message: OpaquePointer) -> Int32 {
        switch UInt32(ssh_message_type(message)) {
        case SSH_REQUEST_AUTH.rawValue:
            return authenticate(message)
        case SSH_REQUEST_SERVICE.rawValue:
            return ssh_message_service_reply_success(message) == SSH_OK ? 0 : 1
        case SSH_REQUEST_CHANNEL_OPEN.rawValue:
            guard isAuthenticated, UInt32(ssh_message_subtype(message)) == SSH_CHANNEL_SESSION.rawValue else { return 1 }
            // Channels over the session share are kept (their command is answered with the limit) until their
            // session-request timeout; past this many at once, opening one is refused outright.
            guard channels.count < connection.maxSessions + 64 else { return 1 }
            guard let channel = ssh_message_channel_request_open_reply_accept(message) else { return 0 }
            open(channel)
            return 0
        case SSH_REQUEST_CHANNEL.rawValue:
            guard let channel = ssh_message_channel_request_channel(message),
                let record = channels.values.first(where: { $0.channel == channel })
            else { return 1 }
            return channelRequest(message, record)
        default:
            return 1
        }
    }

    private func authenticate(_ message: OpaquePointer) -> Int32 {
        let user = ssh_message_auth_user(message).map { String(cString: $0) } ?? ""
        let method = ssh_message_subtype(message)
        if user == login.anonymousUser, method == authNone || method == authPublicKey {
            // Keyless, or a key offered to the anonymous user: either way the connection is anonymous.
            succeed(.anonymous)
            return ssh_message_auth_reply_success(message, 0) == SSH_OK ? 0 : 1
        }
        switch method {
        case authNone:
            // The OpenSSH client always tries "none" first. Keyboard-interactive is offered here only: a client
            // that has no key tries it next and is told what to do; one with keys is answered "publickey" only
            // after a refused key, so it ends with "Permission denied (publickey)".
            ssh_message_auth_set_methods(message, authPublicKey | authInteractive)
            return 1
        case authPublicKey:
            return publicKey(message, user: user)
        case authInteractive:
            if ssh_message_auth_kbdint_is_response(message) != 0 { return fail(message) }
            let text = login.noKeyMessage(user: user)
            let sent = text.withCString { instruction in
                ssh_message_auth_interactive_request(message, "dehub-host", instruction, 0, nil, nil)
            }
            return sent == SSH_OK ? 0 : fail(message)
        default:
            return fail(message)
        }
    }

    private func publicKey(_ message: OpaquePointer, user: String) -> Int32 {
        guard let key = ssh_message_auth_pubkey(message) else { return fail(message) }
        let keyAlgorithm = ssh_key_type_to_char(ssh_key_type(key)).map { String(cString: $0) } ?? "unknown"
        let identity = Self.identity(of: key)
        let signatureAlgorithm = dehub_ssh_message_auth_sigtype(message).map { String(cString: $0) }
        let login = self.login, source = connection.source
        // The same key is judged when offered and again when signed: a key found known in between is not looked up
        // again. Files alone answer here (`quickJudge`); only a lookup of members' keys waits on a task.
        let verdict: SSHLogin.KeyVerdict
        if let identity, knownOnThisConnection.contains(identity) {
            verdict = .known
        } else if let quick = login.quickJudge(
            key: identity, keyAlgorithm: keyAlgorithm, signatureAlgorithm: signatureAlgorithm, source: source)
        {
            verdict = quick
        } else {
            verdict = Self.blocking {
                await login.judge(
                    user: user, key: identity, keyAlgorithm: keyAlgorithm, signatureAlgorithm: signatureAlgorithm,
                    source: source)
            }
        }
        if verdict == .known, let identity { knownOnThisConnection.insert(identity) }
        switch verdict {
        case .refused(let banner):
            if bannersSent.insert(banner).inserted { _ = dehub_ssh_send_banner(session, banner) }
            return fail(message)
        case .known:
            guard let identity else { return fail(message) }
            switch ssh_message_auth_publickey_state(message) {
            case SSH_PUBLICKEY_STATE_NONE:
                // Only an offer: "yes, sign with it". The identity comes with the verified signature.
                return ssh_message_auth_reply_pk_ok_simple(message) == SSH_OK ? 0 : 1
            case SSH_PUBLICKEY_STATE_VALID:
                succeed(.key(identity))
                return ssh_message_auth_reply_success(message, 0) == SSH_OK ? 0 : 1
            default:
                return fail(message)
            }
        }
    }

    /// Answers a failure ("publickey" may continue); too many failures end the connection.
    private func fail(_ message: OpaquePointer) -> Int32 {
        authFailures += 1
        if authFailures >= SSHLogin.maxFailures { stopping.store(true, ordering: .relaxed) }
        ssh_message_auth_set_methods(message, authPublicKey)
        return 1
    }

    private func succeed(_ identity: Identity) {
        isAuthenticated = true
        connection.authenticated(identity)
        services.connections.authenticate(guardID)
    }

    /// The key as an identity (nil when dehub does not read such keys, e.g. certificates).
    static func identity(of key: OpaquePointer) -> SSHKeyIdentity? {
        var base64: UnsafeMutablePointer<CChar>?
        guard ssh_pki_export_pubkey_base64(key, &base64) == SSH_OK, let base64 else { return nil }
        defer { ssh_string_free_char(base64) }
        let text = String(cString: base64)
        guard let blob = Data(base64Encoded: text), let algorithm = SSHKeyIdentity.leadingString(of: [UInt8](blob)) else {
            return nil
        }
        return SSHKeyIdentity(openSSHLine: algorithm + " " + text)
    }

    /// Runs `body` in a task and waits for it on this thread (only this connection waits).
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }

    // MARK: - Channels

    private func open(_ channel: OpaquePointer) {
        nextChannelID += 1
        let id = nextChannelID
        let mailbox = self.mailbox
        let inbound = SSHInbound(resume: { mailbox.post(.resumeInput(channel: id)) })
        let counted = connection.openSession()
        let state: SSHChannelRecord.State =
            counted
            ? .awaitingCommand(gitProtocol: nil)
            : .refused(
                message: "dehub-host: too many sessions on this connection "
                    + "(ssh_max_sessions_per_connection: \(connection.maxSessions)); git needs one per connection\n")
        channels[id] = SSHChannelRecord(
            id: id, channel: channel, inbound: inbound, state: state, deadline: .now + sessionRequestTimeout,
            counted: counted)
    }

    private func channelRequest(_ message: OpaquePointer, _ record: SSHChannelRecord) -> Int32 {
        switch UInt32(ssh_message_subtype(message)) {
        case SSH_CHANNEL_REQUEST_ENV.rawValue:
            let name = ssh_message_channel_request_env_name(message).map { String(cString: $0) }
            if name == "GIT_PROTOCOL", case .awaitingCommand = record.state {
                let value = ssh_message_channel_request_env_value(message).map { String(cString: $0) }
                record.state = .awaitingCommand(gitProtocol: value)
            }
            ssh_message_channel_request_reply_success(message)
            return 0
        case SSH_CHANNEL_REQUEST_EXEC.rawValue:
            let command = ssh_message_channel_request_command(message).map { String(cString: $0) } ?? ""
            return start(message, record, command: command)
        case SSH_CHANNEL_REQUEST_SHELL.rawValue:
            return start(message, record, command: nil)
        case SSH_CHANNEL_REQUEST_PTY.rawValue:
            ssh_message_channel_request_reply_success(message)
            return 0
        default:
            return 1
        }
    }

    private func start(_ message: OpaquePointer, _ record: SSHChannelRecord, command: String?) -> Int32 {
        let output = SSHSessionOutput(
            mailbox: mailbox, channel: record.id, outbound: record.outbound, connection: connection)
        switch record.state {
        case .running:
            return 1
        case .refused(let text):
            record.deadline = nil
            ssh_message_channel_request_reply_success(message)
            services.logger.info(
                "ssh session refused",
                metadata: ["source": "\(connection.source)", "limit": "ssh_max_sessions_per_connection"])
            record.state = .running(task: Task { await output.finish(status: 1, stderr: text) })
            return 0
        case .awaitingCommand(let gitProtocol):
            record.deadline = nil
            ssh_message_channel_request_reply_success(message)
            sessionStarted = true
            let identity = connection.identity ?? .anonymous
            let services = self.services
            let environment = services.gitEnvironment(protocolHeader: gitProtocol, identity: identity, transport: .ssh)
            let tracker = self.tracker, connection = self.connection, input = record.inbound.bytes
            record.state = .running(
                task: Task {
                    guard let ticket = tracker.begin() else {
                        await output.finish(status: 1, stderr: "dehub-host: the host is shutting down; try again shortly\n")
                        return
                    }
                    defer { tracker.end(ticket) }
                    let session = SSHSession(
                        services: services, identity: identity, connection: connection,
                        environment: environment, input: input, output: output)
                    await session.run(command: command)
                })
            return 0
        }
    }

    private func perform(_ work: SSHWork) {
        switch work {
        case .write(let id, let bytes, let stderr, let done):
            guard let record = channels[id], !record.closedLocally, record.finishing == nil else { return work.abandon() }
            record.enqueue(bytes, stderr: stderr, done: done)
        case .finish(let id, let status, let done):
            guard let record = channels[id], !record.closedLocally, record.finishing == nil else { return work.abandon() }
            record.finishing = (status, done)
        case .close(let id):
            if let record = channels[id] { drop(record) }
        case .resumeInput:
            break  // pump() reads every channel that wants more
        case .attachOutput(let id, let fd, let onRead, let done):
            guard let record = channels[id], !record.closedLocally, record.finishing == nil, record.directOutput == nil
            else { return work.abandon() }
            let connection = self.connection
            record.directOutput = SSHDirectOutput(
                fd: fd,
                onRead: {
                    onRead()
                    connection.touch()
                }, done: done)
        }
    }

    /// Moves git's stdout into the channel (`SSHDirectOutput`) and polls its pipe only while it would be read. False
    /// when the channel failed.
    private func moveDirectOutput(_ record: SSHChannelRecord) -> Bool {
        guard let direct = record.directOutput else { return true }
        if outputBuffer == nil {
            outputBuffer = .allocate(byteCount: SSHChannelRecord.maximumWrite / 2, alignment: 16)
        }
        switch direct.move(into: record, through: outputBuffer!) {
        case .waiting:
            setPolled(direct, SSHDirectOutput.wantsPolling(record))
            return true
        case .ended:
            endDirectOutput(record, nil)
            return true
        case .failed(let error):
            endDirectOutput(record, error)
            return true
        case .channelFailed:
            return false
        }
    }

    /// Adds git's stdout pipe to the connection's `ssh_event`, or takes it out.
    private func setPolled(_ direct: SSHDirectOutput, _ wanted: Bool) {
        guard let event, wanted != direct.polled else { return }
        if wanted {
            let readable: @convention(c) (Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = { _, _, _ in 0 }
            direct.polled = ssh_event_add_fd(event, direct.fd, Int16(POLLIN), readable, nil) == SSH_OK
        } else {
            ssh_event_remove_fd(event, direct.fd)
            direct.polled = false
        }
    }

    /// Ends the reading of git's stdout for `record` (out of the `ssh_event`, closed, the run answered).
    private func endDirectOutput(_ record: SSHChannelRecord, _ failure: (any Error)?) {
        guard let direct = record.directOutput else { return }
        setPolled(direct, false)
        record.directOutput = nil
        direct.end(failure)
    }

    /// Moves data: queued output to libssh, the client's input to the sessions; ends finished channels.
    private func pump() {
        for id in channels.keys.sorted() {
            guard let record = channels[id], !record.closedLocally else { continue }
            guard record.flush(), moveDirectOutput(record) else {
                drop(record)
                continue
            }
            if record.pending.isEmpty, record.directOutput == nil, let finishing = record.finishing {
                record.finishing = nil
                ssh_channel_request_send_exit_status(record.channel, finishing.status)
                ssh_channel_send_eof(record.channel)
                ssh_channel_close(record.channel)
                record.closedLocally = true
                finishing.done.resume()
                continue
            }
            while !record.inputEnded, record.inbound.wantsMore() {
                let count = readBuffer.withUnsafeMutableBytes {
                    ssh_channel_read_nonblocking(record.channel, $0.baseAddress, UInt32($0.count), 0)
                }
                guard count > 0 else { break }
                connection.touch()
                record.inbound.received(Array(readBuffer[0..<Int(count)]))
            }
            if !record.inputEnded, ssh_channel_is_eof(record.channel) != 0 {
                record.inputEnded = true
                record.inbound.finish()
            }
        }
        // Channels the client closed (or that ended here and the client acknowledged).
        for record in Array(channels.values) where ssh_channel_is_closed(record.channel) != 0 {
            drop(record)
        }
    }

    /// Forgets a channel: its session's task is cancelled if it still runs (killing git), its waiters are failed,
    /// and the channel is closed and freed.
    private func drop(_ record: SSHChannelRecord) {
        guard channels.removeValue(forKey: record.id) != nil else { return }
        endDirectOutput(record, SSHChannelGone())
        record.abandon()
        if record.counted {
            record.counted = false
            connection.closeSession()
        }
        ssh_channel_free(record.channel)
    }
}

/// libssh's authentication method bits, as its functions take them.
private let authNone = Int32(SSH_AUTH_METHOD_NONE)
private let authPublicKey = Int32(SSH_AUTH_METHOD_PUBLICKEY)
private let authInteractive = Int32(SSH_AUTH_METHOD_INTERACTIVE)

extension Duration {
    /// Whole milliseconds (rounded up, so a wait never ends before its deadline).
    var ceilingMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
