import Foundation

/// One sync of a mirror at a time, across processes (the server's scheduler, `dehub-host mirror sync` on the server,
/// an OpenSSH-mode admin command): an exclusive `flock` on `NAME.git/dehub-mirror.lock`, released when the holder
/// ends, crashes included (the kernel drops it with the descriptor).
final class MirrorLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock, waiting up to `wait` (nil: only if it is free now). Returns nil when another sync holds it.
    static func acquire(_ path: String, wait: Duration? = nil) async throws -> MirrorLock? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw HostError(.io, "cannot open \(path): errno \(errno)") }
        let deadline = ContinuousClock.now + (wait ?? .zero)
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return MirrorLock(descriptor: fd) }
            guard errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < deadline else {
                close(fd)
                return nil
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    deinit {}
}
