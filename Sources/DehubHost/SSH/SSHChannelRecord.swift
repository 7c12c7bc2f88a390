import CLibSSH

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
        var bytes: [UInt8]
        var offset = 0
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

    func enqueue(_ bytes: [UInt8], stderr: Bool, done: CheckedContinuation<Void, any Error>?) {
        pendingBytes += bytes.count
        pending.append(Pending(bytes: bytes, stderr: stderr, done: done))
    }

    /// Hands queued output to libssh as far as the client's window allows. False when the channel failed.
    func flush() -> Bool {
        while !pending.isEmpty {
            let window = Int(ssh_channel_window_size(channel))
            guard window > 0 else { return true }
            let chunk = pending[0]
            let count = min(window, chunk.bytes.count - chunk.offset, 32 * 1024)
            let written = chunk.bytes.withUnsafeBytes { raw -> Int32 in
                let start = raw.baseAddress!.advanced(by: chunk.offset)
                return chunk.stderr
                    ? ssh_channel_write_stderr(channel, start, UInt32(count)) : ssh_channel_write(channel, start, UInt32(count))
            }
            if written == SSH_ERROR { return false }
            guard written > 0 else { return true }
            pending[0].offset += Int(written)
            pendingBytes -= Int(written)
            outbound.release(Int(written))
            if pending[0].offset >= pending[0].bytes.count {
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
