import Logging
import NIOCore
import NIOSSH

/// One SSH session channel: takes `env GIT_PROTOCOL`, then one `exec` (a git service or an admin
/// command) or `shell` (a greeting), runs it, and ends with: all output written → exit-status → EOF → close.
/// When the client goes away, the running task is cancelled, which kills git's process group.
///
/// A channel over the connection's share (`ssh_max_sessions_per_connection`) answers its command with the
/// limit's name and exit status 1; a channel that asks for no command within
/// `ssh_session_request_timeout_seconds` is closed.
final class SSHSessionHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = SSHChannelData
    typealias OutboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    private enum State {
        /// Open, no command yet; closed when `deadline` fires.
        case awaitingCommand(inbound: SSHInbound, gitProtocol: String?, deadline: Scheduled<Void>?)
        /// Over the connection's share of sessions: any command is answered with this refusal.
        case refused(message: String, deadline: Scheduled<Void>?)
        /// The command runs; the client's input flows to `inbound`.
        case running(inbound: SSHInbound, task: Task<Void, Never>)
        /// The refusal is being written, or the channel closed.
        case done
    }

    private let services: HostServices
    private let connection: SSHConnection
    private let sessions: SSHSessionTracker
    private var state = State.done
    /// Whether this channel counts against the connection's share.
    private var counted = false

    init(services: HostServices, connection: SSHConnection, sessions: SSHSessionTracker) {
        self.services = services
        self.connection = connection
        self.sessions = sessions
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Without half-closure the client's EOF would close the channel before git answers.
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).whenFailure { _ in }
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        let channel = context.channel
        let deadline = context.eventLoop.assumeIsolated().scheduleTask(
            in: .seconds(Int64(services.config.sshSessionRequestTimeoutSeconds))
        ) {
            switch self.state {
            case .awaitingCommand, .refused: channel.close(promise: nil)
            case .running, .done: break
            }
        }
        counted = connection.openSession()
        if counted {
            state = .awaitingCommand(inbound: SSHInbound(channel: channel), gitProtocol: nil, deadline: deadline)
        } else {
            let limit = connection.maxSessions
            state = .refused(
                message: "dehub-host: too many sessions on this connection "
                    + "(ssh_max_sessions_per_connection: \(limit)); git needs one per connection\n", deadline: deadline)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .channel = message.type, case .byteBuffer(let buffer) = message.data else { return }
        connection.touch()
        switch state {
        case .awaitingCommand(let inbound, _, _), .running(let inbound, _): inbound.received(Array(buffer.readableBytesView))
        case .refused, .done: break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .running(let inbound, _) = state { inbound.readComplete() }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .awaitingCommand(let inbound, _, let deadline):
            deadline?.cancel()
            inbound.finish()
        case .refused(_, let deadline):
            deadline?.cancel()
        case .running(let inbound, let task):
            inbound.finish()
            task.cancel()
        case .done:
            break
        }
        state = .done
        if counted {
            counted = false
            connection.closeSession()
        }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let request as SSHChannelRequestEvent.EnvironmentRequest:
            if request.name == "GIT_PROTOCOL", case .awaitingCommand(let inbound, _, let deadline) = state {
                state = .awaitingCommand(inbound: inbound, gitProtocol: request.value, deadline: deadline)
            }
            if request.wantReply { context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil) }
        case let request as SSHChannelRequestEvent.ExecRequest:
            start(context: context, command: request.command, wantReply: request.wantReply)
        case let request as SSHChannelRequestEvent.ShellRequest:
            start(context: context, command: nil, wantReply: request.wantReply)
        case let request as SSHChannelRequestEvent.PseudoTerminalRequest:
            if request.wantReply { context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil) }
        case let event as ChannelEvent where event == .inputClosed:
            switch state {
            case .awaitingCommand(let inbound, _, _), .running(let inbound, _): inbound.finish()
            case .refused, .done: break
            }
        case is SSHChannelRequestEvent.SubsystemRequest:
            context.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func start(context: ChannelHandlerContext, command: String?, wantReply: Bool) {
        let output = SSHSessionOutput(channel: context.channel, connection: connection)
        switch state {
        case .running, .done:
            if wantReply { context.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil) }
        case .refused(let message, let deadline):
            deadline?.cancel()
            state = .done
            if wantReply { context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil) }
            services.logger.info(
                "ssh session refused",
                metadata: [
                    "source": "\(connection.source)", "limit": "ssh_max_sessions_per_connection",
                ])
            Task { await output.finish(status: 1, stderr: message) }
        case .awaitingCommand(let inbound, let gitProtocol, let deadline):
            deadline?.cancel()
            if wantReply { context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil) }
            context.read()
            let identity = connection.identity ?? .anonymous
            let services = self.services
            let environment = services.gitEnvironment(protocolHeader: gitProtocol, identity: identity, transport: .ssh)
            let sessions = self.sessions
            let connection = self.connection
            let task = Task {
                guard let ticket = sessions.begin() else {
                    await output.finish(status: 1, stderr: "dehub-host: the host is shutting down; try again shortly\n")
                    return
                }
                defer { sessions.end(ticket) }
                let session = SSHSession(
                    services: services, identity: identity, connection: connection,
                    environment: environment, input: inbound.bytes, output: output)
                await session.run(command: command)
            }
            state = .running(inbound: inbound, task: task)
        }
    }
}

/// Writes to the session channel from async code; every write counts as activity on the connection.
struct SSHSessionOutput: Sendable {
    let channel: any Channel
    let connection: SSHConnection

    func write(_ bytes: [UInt8], stderr: Bool = false) async throws {
        try await write(ByteBuffer(bytes: bytes), stderr: stderr)
    }

    func write(_ buffer: ByteBuffer, stderr: Bool = false) async throws {
        guard buffer.readableBytes > 0 else { return }
        connection.touch()
        let data = SSHChannelData(type: stderr ? .stdErr : .channel, data: .byteBuffer(buffer))
        try await channel.writeAndFlush(data)
    }

    /// Optional final text, then exit-status, EOF and close, in that order.
    func finish(status: Int32, stdout: String = "", stderr: String = "") async {
        try? await write(Array(stdout.utf8))
        try? await write(Array(stderr.utf8), stderr: true)
        try? await channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: Int(status))).get()
        try? await channel.close(mode: .output).get()
        try? await channel.close().get()
    }
}
