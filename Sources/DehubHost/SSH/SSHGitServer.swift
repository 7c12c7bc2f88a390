import CLibSSH
import Crypto
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// The embedded SSH server as a service of the host's lifecycle, on libssh's server API.
///
/// Threads: one accept thread, and one thread per admitted connection running that connection's libssh session
/// and event loop (`SSHConnectionLoop`), so a slow client never holds up another; their number is bounded by the
/// connection caps (`max_connections`, checked before a thread starts). git itself runs in tasks of the host's
/// cooperative pool, streaming through each connection's mailbox.
public struct SSHGitServer: Service {
    let services: HostServices
    let address: HostAddress
    let hostKey: Curve25519.Signing.PrivateKey
    let onListening: @Sendable (Int) async -> Void
    let sessions = SSHSessionTracker()

    public init(
        services: HostServices, address: HostAddress, hostKey: Curve25519.Signing.PrivateKey,
        onListening: @escaping @Sendable (Int) async -> Void
    ) {
        self.services = services
        self.address = address
        self.hostKey = hostKey
        self.onListening = onListening
    }

    public func run() async throws {
        let bind = try LibSSHBind(hostKey: hostKey, acceptedAlgorithms: SSHLogin.acceptedAlgorithms)
        let listener = try SSHListener(address: address)
        let services = self.services, sessions = self.sessions
        let acceptThread = Thread {
            listener.run { fd, address in
                Self.accepted(fd, from: address, bind: bind, services: services, sessions: sessions)
            }
        }
        acceptThread.name = "ssh-accept"
        acceptThread.start()
        await onListening(listener.port)
        services.logger.info("ssh listening", metadata: ["address": "\(address.host):\(listener.port)"])
        // Until shutdown: a graceful shutdown stops accepting; a cancellation does too.
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                while !Task.isCancelled, !listener.isStopped {
                    try? await Task.sleep(for: .milliseconds(200))
                }
            } onCancel: {
                listener.stop()
            }
        } onGracefulShutdown: {
            listener.stop()
        }
        listener.stop()
        await sessions.shutDown(grace: .seconds(services.config.shutdownGraceSeconds))
    }

    /// On the accept thread: admit the connection (or refuse it with the limit's name), then start its thread.
    private static func accepted(
        _ fd: Int32, from address: SocketAddress?, bind: LibSSHBind, services: HostServices, sessions: SSHSessionTracker
    ) {
        let source = ConnectionGuard.sourceKey(address)
        let holder = LoopHolder()
        let admission = services.connections.admit(source: source) { _ in holder.loop?.stop() }
        let id: UInt64
        switch admission {
        case .failure(let refusal):
            refuse(fd, refusal)
            return
        case .success(let admitted):
            id = admitted
        }
        guard !sessions.isClosing else {
            services.connections.close(id)
            Glibc.close(fd)
            return
        }
        guard let session = bind.accept(fd) else {
            services.connections.close(id)
            return
        }
        let loop: SSHConnectionLoop
        do {
            loop = try SSHConnectionLoop(
                fd: fd, session: session, source: source, guardID: id, services: services, tracker: sessions)
        } catch {
            ssh_free(session)
            services.connections.close(id)
            return
        }
        holder.loop = loop
        sessions.add(loop)
        let thread = Thread { loop.run() }
        thread.name = "ssh-connection"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// An SSH version line and a clear-text disconnect naming the limit, then the socket closes (after a second,
    /// so that the client reads it).
    private static func refuse(_ fd: Int32, _ refusal: ConnectionRefusal) {
        let bytes = ConnectionGuardHandler.sshDisconnect(refusal.message)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
        shutdown(fd, Int32(SHUT_WR))
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { Glibc.close(fd) }
    }
}

/// The connection a `ConnectionGuard` evictor cuts, set once its loop exists.
private final class LoopHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var value: SSHConnectionLoop?
    var loop: SSHConnectionLoop? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
