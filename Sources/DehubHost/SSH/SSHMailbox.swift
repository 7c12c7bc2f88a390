import CLibSSH
import Foundation
import Glibc
import NIOCore
import Synchronization

/// What the tasks running a connection's sessions ask of the connection's thread, which alone touches libssh.
enum SSHWork: Sendable {
    /// Write `bytes` to session `channel`; `done` (when the writer waits) is resumed once they are handed to
    /// libssh, or failed when the channel or connection is gone.
    case write(channel: Int, bytes: ByteBuffer, stderr: Bool, done: CheckedContinuation<Void, any Error>?)
    /// After all queued output: exit-status, EOF, close.
    case finish(channel: Int, status: Int32, done: CheckedContinuation<Void, Never>)
    /// Close the channel now (git was stopped).
    case close(channel: Int)
    /// The channel's input drained: read from it again.
    case resumeInput(channel: Int)
    /// git's stdout pipe (non-blocking; the thread owns it from now on): read it into the channel (`SSHDirectOutput`);
    /// `done` is resumed at its end, or failed when the channel or connection goes first.
    case attachOutput(channel: Int, fd: Int32, onRead: @Sendable () -> Void, done: CheckedContinuation<Void, any Error>)

    /// Answers the work's waiter as if the channel were gone.
    func abandon() {
        switch self {
        case .write(_, _, _, let done): done?.resume(throwing: SSHChannelGone())
        case .finish(_, _, let done): done.resume()
        case .attachOutput(_, let fd, _, let done):
            Glibc.close(fd)
            done.resume(throwing: SSHChannelGone())
        case .close, .resumeInput: break
        }
    }
}

/// The channel (or the whole connection) closed before the write could be made.
struct SSHChannelGone: Error, CustomStringConvertible {
    var description: String { "the SSH channel is closed" }
}

/// A queue of `SSHWork` with a wake-up descriptor the connection's thread polls (an eventfd in its ssh_event).
final class SSHMailbox: Sendable {
    private struct State {
        var items: [SSHWork] = []
        var closed = false
        var signalled = false
    }

    private let state = Mutex(State())
    let wakeFD: Int32

    init() throws {
        wakeFD = dehub_wake_fd()
        guard wakeFD >= 0 else { throw HostError(.io, "cannot make an eventfd for an SSH connection") }
    }

    /// Queues `work` and wakes the thread; once the mailbox is closed, the work is abandoned instead.
    func post(_ work: SSHWork) {
        let (accepted, wake) = state.withLock { s -> (Bool, Bool) in
            guard !s.closed else { return (false, false) }
            s.items.append(work)
            let wake = !s.signalled
            s.signalled = true
            return (true, wake)
        }
        if !accepted { return work.abandon() }
        if wake { dehub_wake(wakeFD) }
    }

    /// Whether work is queued (the thread then polls without waiting).
    var hasWork: Bool { state.withLock { !$0.items.isEmpty } }

    /// Wakes the thread without work (e.g. to stop it).
    func wake() { dehub_wake(wakeFD) }

    /// On the thread: what was posted since the last call.
    func take() -> [SSHWork] {
        dehub_drain(wakeFD)
        return state.withLock { s in
            s.signalled = false
            defer { s.items.removeAll() }
            return s.items
        }
    }

    /// On the thread, at the end: refuses later work and abandons what is queued.
    func close() {
        let left = state.withLock { s -> [SSHWork] in
            s.closed = true
            defer { s.items.removeAll() }
            return s.items
        }
        for work in left { work.abandon() }
    }

    deinit { Glibc.close(wakeFD) }
}

/// The output of one session channel queued for the client (posted, not yet handed to libssh), shared by the
/// session's task and the connection's thread: the task writes without waiting while less than `highWater` is
/// queued, and waits for its chunk to be handed over beyond that, so a client that reads slowly slows git down
/// without a round trip through the thread for every chunk.
final class SSHOutbound: Sendable {
    private struct State {
        var queued = 0
        var closed = false
    }

    static let highWater = 256 * 1024
    private let state = Mutex(State())

    /// The writer queues `count` bytes: whether it must wait for them to be handed over. Throws once the channel
    /// is gone.
    func reserve(_ count: Int) throws -> Bool {
        try state.withLock { s in
            guard !s.closed else { throw SSHChannelGone() }
            let wait = s.queued >= Self.highWater
            s.queued += count
            return wait
        }
    }

    /// On the thread: `count` bytes went to libssh.
    func release(_ count: Int) { state.withLock { $0.queued -= count } }

    /// On the thread: the channel is gone; later writes fail.
    func close() { state.withLock { $0.closed = true } }
}

/// Writes to one session channel from async code; every write counts as activity on the connection.
struct SSHSessionOutput: Sendable {
    let mailbox: SSHMailbox
    let channel: Int
    let outbound: SSHOutbound
    let connection: SSHConnection

    func write(_ bytes: [UInt8], stderr: Bool = false) async throws {
        try await write(ByteBuffer(bytes: bytes), stderr: stderr)
    }

    /// git's output goes to the connection's thread as NIO read it (no copy).
    func write(_ bytes: ByteBuffer, stderr: Bool = false) async throws {
        guard bytes.readableBytes > 0 else { return }
        connection.touch()
        if try outbound.reserve(bytes.readableBytes) {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                mailbox.post(.write(channel: channel, bytes: bytes, stderr: stderr, done: done))
            }
        } else {
            mailbox.post(.write(channel: channel, bytes: bytes, stderr: stderr, done: nil))
        }
    }

    /// Optional final text, then exit-status, EOF and close, in that order, after all earlier output.
    func finish(status: Int32, stdout: String = "", stderr: String = "") async {
        try? await write(Array(stdout.utf8))
        try? await write(Array(stderr.utf8), stderr: true)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            mailbox.post(.finish(channel: channel, status: status, done: done))
        }
    }

    /// Hands git's stdout pipe (non-blocking; owned by the connection's thread from now on) to the connection's
    /// thread, which reads it into the channel while the client's window has room (`SSHDirectOutput`). Returns once
    /// git's output ended and all of it is handed to libssh; throws when the channel or the connection went first.
    func relay(descriptor fd: Int32, onRead: @escaping @Sendable () -> Void) async throws {
        connection.touch()
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            mailbox.post(.attachOutput(channel: channel, fd: fd, onRead: onRead, done: done))
        }
    }

    /// Closes the channel at once (a stopped git: a write waiting on a client that stopped reading then fails).
    func close() { mailbox.post(.close(channel: channel)) }
}
