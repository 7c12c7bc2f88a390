import Logging
import NIOCore
import NIOSSH

/// One SSH session channel: takes `env GIT_PROTOCOL`, then one `exec` (a git service or an admin
/// command) or `shell` (a greeting), runs it, and ends with: all output written → exit-status → EOF → close.
/// When the client goes away, the running task is cancelled, which kills git's process group.
final class SSHSessionHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = SSHChannelData
    typealias OutboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    private let services: HostServices
    private let connection: SSHConnectionIdentity
    private let sessions: SSHSessionTracker
    private var gitProtocol: String?
    private var started = false
    private var task: Task<Void, Never>?
    private var inbound: SSHInbound?

    init(services: HostServices, connection: SSHConnectionIdentity, sessions: SSHSessionTracker) {
        self.services = services
        self.connection = connection
        self.sessions = sessions
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Without half-closure the client's EOF would close the channel before git answers.
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).whenFailure { _ in }
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        inbound = SSHInbound(channel: context.channel)
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .channel = message.type, case .byteBuffer(let buffer) = message.data else { return }
        inbound?.received(Array(buffer.readableBytesView))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if started { inbound?.readComplete() }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbound?.finish()
        task?.cancel()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let request as SSHChannelRequestEvent.EnvironmentRequest:
            if request.name == "GIT_PROTOCOL" { gitProtocol = request.value }
            if request.wantReply { context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil) }
        case let request as SSHChannelRequestEvent.ExecRequest:
            start(context: context, command: request.command, wantReply: request.wantReply)
        case let request as SSHChannelRequestEvent.ShellRequest:
            start(context: context, command: nil, wantReply: request.wantReply)
        case let request as SSHChannelRequestEvent.PseudoTerminalRequest:
            if request.wantReply { context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil) }
        case let event as ChannelEvent where event == .inputClosed:
            inbound?.finish()
        case is SSHChannelRequestEvent.SubsystemRequest:
            context.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func start(context: ChannelHandlerContext, command: String?, wantReply: Bool) {
        guard !started, let inbound else {
            if wantReply { context.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil) }
            return
        }
        started = true
        if wantReply { context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil) }
        context.read()
        let channel = context.channel
        let identity = connection.identity ?? .anonymous
        let services = self.services
        let environment = services.gitEnvironment(protocolHeader: gitProtocol, identity: identity, transport: .ssh)
        let sessions = self.sessions
        let output = SSHSessionOutput(channel: channel)
        task = Task {
            guard let ticket = sessions.begin() else {
                await output.finish(status: 1, stderr: "dehub-host: the host is shutting down; try again shortly\n")
                return
            }
            defer { sessions.end(ticket) }
            let session = SSHSession(services: services, identity: identity, environment: environment,
                                     input: inbound.bytes, output: output)
            await session.run(command: command)
        }
    }
}

/// Writes to the session channel from async code.
struct SSHSessionOutput: Sendable {
    let channel: any Channel

    func write(_ bytes: [UInt8], stderr: Bool = false) async throws {
        try await write(ByteBuffer(bytes: bytes), stderr: stderr)
    }

    func write(_ buffer: ByteBuffer, stderr: Bool = false) async throws {
        guard buffer.readableBytes > 0 else { return }
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
