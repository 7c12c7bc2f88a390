import NIOCore

extension ProcessLimiter {
    /// Takes a slot for `claim`, for a request on `channel`, and leaves the queue as soon as the connection closes:
    /// Hummingbird does not cancel a handler whose client went away, so without this a vanished client would keep
    /// its place and then take a slot. Throws `CancellationError` when the connection closed first.
    func acquire(_ claim: SlotClaim, whileOpen channel: any Channel) async throws -> Permit {
        let waiting = Task { try await self.acquire(claim) }
        channel.closeFuture.whenComplete { _ in waiting.cancel() }
        let permit = try await withTaskCancellationHandler {
            try await waiting.value
        } onCancel: {
            waiting.cancel()
        }
        guard channel.isActive else {
            permit.release()
            throw CancellationError()
        }
        return permit
    }
}
