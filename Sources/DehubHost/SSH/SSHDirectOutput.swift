import CLibSSH
import Glibc
import NIOCore

/// git's stdout as the connection's thread reads it itself, straight into the session channel: no event loop and
/// no task between git's pipe and libssh, so a chunk crosses no thread (before: NIO's loop read the pipe, the
/// session's task took the buffer, the connection's thread was woken through its eventfd to write it).
///
/// Thread-confined (the connection's thread, which owns the descriptor from `attach` on and closes it on every way
/// out: end of git's output, a failed read or write, the channel or the connection gone). The pipe is read only
/// while nothing else is queued for the channel (a stderr chunk keeps its place) and the client's window has room,
/// at most the window at a time; it is polled in the connection's `ssh_event` only then. So a client that stops
/// reading stops git, which blocks on its full pipe, and what the host holds stays bounded by the one buffer.
final class SSHDirectOutput {
    /// What `move` found.
    enum Outcome {
        /// Waiting: for git (the pipe is empty), for the client's window, or for queued output to drain.
        case waiting
        /// git's output ended (end of file on the pipe).
        case ended
        /// Reading the pipe failed.
        case failed(any Error)
        /// libssh refused the write: the channel is broken.
        case channelFailed
    }

    let fd: Int32
    private let onRead: @Sendable () -> Void
    private var done: CheckedContinuation<Void, any Error>?
    /// Whether the descriptor is in the connection's `ssh_event`.
    var polled = false

    init(fd: Int32, onRead: @escaping @Sendable () -> Void, done: CheckedContinuation<Void, any Error>) {
        self.fd = fd
        self.onRead = onRead
        self.done = done
    }

    /// Moves what git wrote into `record`'s channel through `buffer`, while the channel has nothing else queued and
    /// the client's window has room. What libssh does not take at once is queued on the record.
    func move(into record: SSHChannelRecord, through buffer: UnsafeMutableRawBufferPointer) -> Outcome {
        while record.pending.isEmpty {
            let window = Int(ssh_channel_window_size(record.channel))
            guard window > 0 else { return .waiting }
            let count = read(fd, buffer.baseAddress, min(window, buffer.count))
            if count > 0 {
                onRead()
                let written = ssh_channel_write(record.channel, buffer.baseAddress, UInt32(count))
                if written == SSH_ERROR { return .channelFailed }
                if Int(written) < count {
                    let rest = UnsafeRawBufferPointer(rebasing: buffer[Int(written)..<count])
                    // Counted like a task's write, so that the outbound's level stays right when libssh takes it.
                    _ = try? record.outbound.reserve(rest.count)
                    record.enqueue(ByteBuffer(bytes: rest), stderr: false, done: nil)
                }
                continue
            }
            if count == 0 { return .ended }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .waiting
            default: return .failed(HostError(.io, "cannot read git's output: \(String(cString: strerror(errno)))"))
            }
        }
        return .waiting
    }

    /// Whether to poll the pipe now: only when `move` would read it.
    static func wantsPolling(_ record: SSHChannelRecord) -> Bool {
        record.pending.isEmpty && ssh_channel_window_size(record.channel) > 0
    }

    /// Once: closes the descriptor (git, if still writing, gets EPIPE) and answers the waiting run, with `failure`
    /// or as ended. The caller has taken the descriptor out of its `ssh_event` first.
    func end(_ failure: (any Error)?) {
        guard let done else { return }
        self.done = nil
        close(fd)
        if let failure { done.resume(throwing: failure) } else { done.resume() }
    }
}
