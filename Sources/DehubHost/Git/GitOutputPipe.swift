import CLibSSH
import Glibc
import NIOCore
import NIOPosix

import SystemPackage

/// git's standard output as the host reads it: a pipe the host makes itself (git gets the write end), read by a
/// NIO event loop straight into `ByteBuffer`s that go to the transport as they are, with no copy of ours and no
/// zero-filled buffer per read: into a task (`reader`), relayed into the client's channel on its own event loop
/// (`relay`, HTTP), or handed as a descriptor to a transport that reads it on its own thread (`handOver`, SSH).
///
/// The pipe holds `capacity` bytes (Linux's default is 64 KiB, one pkt-line of git's sideband), so that while the
/// transport writes one chunk git keeps running and the next read takes what piled up in one go. What the host
/// holds per run stays bounded: the pipe, plus at most `GitOutputPipe.highWatermark` buffers of at most
/// `maximumRead` bytes read ahead of the transport; past that NIO stops reading and git blocks on its write.
struct GitOutputPipe {
    /// Bytes the pipe may hold (`F_SETPIPE_SZ`; the default stays when the kernel refuses).
    static let capacity: Int32 = 256 * 1024
    /// The largest single read.
    static let maximumRead = 128 * 1024
    /// Buffers read ahead of the transport before reading pauses, and the level at which it resumes.
    static let highWatermark = 2
    static let lowWatermark = 1

    typealias Reader = NIOAsyncChannel<ByteBuffer, Never>

    /// The write end, for git (closed in the host once git started).
    let writeEnd: SystemPackage.FileDescriptor
    private let readEnd: Int32

    /// Makes the pipe (both ends close-on-exec: git gets its end as its stdout only).
    init() throws {
        var ends: [Int32] = [-1, -1]
        guard dehub_pipe(&ends, Self.capacity) == 0 else {
            throw HostError(.io, "cannot make a pipe for git's output: \(String(cString: strerror(errno)))")
        }
        readEnd = ends[0]
        writeEnd = SystemPackage.FileDescriptor(rawValue: ends[1])
    }

    /// Hands the read end to NIO on `eventLoop` (which closes it when the reader closes). On failure the read end
    /// is closed here.
    func reader(on eventLoop: any EventLoop) async throws -> Reader {
        do {
            return try await NIOPipeBootstrap(group: eventLoop)
                .channelOption(.recvAllocator, value: Self.recvAllocator)
                .takingOwnershipOfDescriptor(input: readEnd) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try Reader(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(
                                backPressureStrategy: .init(
                                    lowWatermark: Self.lowWatermark, highWatermark: Self.highWatermark)))
                    }
                }
        } catch {
            close(readEnd)
            throw HostError(.io, "cannot read git's output: \(error)")
        }
    }

    /// Hands the read end to NIO on `relay.target`'s event loop, relaying what git writes into the target (see
    /// `GitOutputRelay`). The future completes when git's output ended or the target closed. On failure the read
    /// end is closed here.
    func relay(_ relay: GitOutputRelay, onRead: @escaping @Sendable () -> Void) async throws -> EventLoopFuture<Void> {
        let done = relay.target.eventLoop.makePromise(of: Void.self)
        do {
            _ = try await NIOPipeBootstrap(group: relay.target.eventLoop)
                .channelOption(.recvAllocator, value: Self.recvAllocator)
                .takingOwnershipOfDescriptor(input: readEnd) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            GitOutputRelayHandler(relay: relay, done: done, onRead: onRead))
                    }
                }
        } catch {
            close(readEnd)
            done.fail(error)
            throw HostError(.io, "cannot read git's output: \(error)")
        }
        return done.futureResult
    }

    /// Hands the read end, made non-blocking, to `consumer`, which owns it from then on (closes it on every way out)
    /// and returns once git's output ended (SSH: the connection's thread reads it, `SSHDirectOutput`).
    func handOver(to consumer: (Int32) async throws -> Void) async throws {
        let flags = fcntl(readEnd, F_GETFL)
        guard flags >= 0, fcntl(readEnd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            close(readEnd)
            throw HostError(.io, "cannot read git's output: \(String(cString: strerror(errno)))")
        }
        try await consumer(readEnd)
    }

    /// Reads grow from 64 KiB up to `maximumRead` while they fill their buffer (git is ahead of the transport).
    private static var recvAllocator: AdaptiveRecvByteBufferAllocator {
        AdaptiveRecvByteBufferAllocator(minimum: 4096, initial: 64 * 1024, maximum: maximumRead)
    }

    /// Closes the read end when it was never handed to NIO (git did not start).
    func closeUnread() { close(readEnd) }
}
