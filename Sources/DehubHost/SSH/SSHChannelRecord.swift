import CLibSSH
import NIOCore

/// One session channel as the connection's thread keeps it (thread-confined): its libssh channel, what it is
/// doing, its input, and its output waiting for the client's window.
final class SSHChannelRecord {
    enum State {
        /// Open, no command yet; closed at `deadline`.
        case awaitingCommand(gitProtocol: String?)
        /// Over the connection's share of sessions: any command is answered with this refusal.
        case refused(message: String)
        /// The command runs (or its refusal is being written).
        case running(task: Task<Void, Never>)
    }

    /// Output queued for the client, in order.
    struct Pending {
        /// What is left to hand to libssh (its reader index moves as it is written).
        var bytes: ByteBuffer
        let stderr: Bool
        /// Resumed once the chunk is handed to libssh (nil: the writer did not wait).
        let done: CheckedContinuation<Void, any Error>?
    }

    let id: Int
    let channel: OpaquePointer
    let inbound: SSHInbound
    let outbound = SSHOutbound()
    var state: State
    /// When a channel that asked for no command is closed (`ssh_session_request_timeout_seconds`).
    var deadline: ContinuousClock.Instant?
    /// Whether the channel counts against the connection's share.
    var counted: Bool
    var pending: [Pending] = []
    var pendingBytes = 0
    /// Exit status and its waiter, sent once `pending` is empty.
    var finishing: (status: Int32, done: CheckedContinuation<Void, Never>)?
    /// git's stdout, while the connection's thread reads it into the channel.
    var directOutput: SSHDirectOutput?
    var inputEnded = false
    /// Exit-status, EOF and close are sent.
    var closedLocally = false

    init(id: Int, channel: OpaquePointer, inbound: SSHInbound, state: State, deadline: ContinuousClock.Instant?, counted: Bool) {
        self.id = id
        self.channel = channel
        self.inbound = inbound
        self.state = state
        self.deadline = deadline
        self.counted = counted
    }

    func enqueue(_ bytes: ByteBuffer, stderr: Bool, done: CheckedContinuation<Void, any Error>?) {
        pendingBytes += bytes.readableBytes
        pending.append(Pending(bytes: bytes, stderr: stderr, done: done))
    }

    /// The most handed to libssh in one call (it cuts it into packets of the client's maximum packet size).
    static let maximumWrite = 128 * 1024

    /// Hands queued output to libssh as far as the client's window allows. False when the channel failed.
    func flush() -> Bool {
        while !pending.isEmpty {
            let window = Int(ssh_channel_window_size(channel))
            guard window > 0 else { return true }
            let stderr = pending[0].stderr
            let count = min(window, pending[0].bytes.readableBytes, Self.maximumWrite)
            let written = pending[0].bytes.withUnsafeReadableBytes { raw -> Int32 in
                stderr
                    ? ssh_channel_write_stderr(channel, raw.baseAddress, UInt32(count))
                    : ssh_channel_write(channel, raw.baseAddress, UInt32(count))
            }
            if written == SSH_ERROR { return false }
            guard written > 0 else { return true }
            pending[0].bytes.moveReaderIndex(forwardBy: Int(written))
            pendingBytes -= Int(written)
            outbound.release(Int(written))
            if pending[0].bytes.readableBytes == 0 {
                pending[0].done?.resume()
                pending.removeFirst()
            }
        }
        return true
    }

    /// Fails every waiter (the channel or the connection is gone).
    func abandon() {
        outbound.close()
        for chunk in pending { chunk.done?.resume(throwing: SSHChannelGone()) }
        pending.removeAll()
        pendingBytes = 0
        finishing?.done.resume()
        finishing = nil
        inbound.finish()
        inputEnded = true
        if case .running(let task) = state { task.cancel() }
    }
}
