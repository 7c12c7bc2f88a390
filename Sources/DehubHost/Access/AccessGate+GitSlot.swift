/// Access decided at the moment git starts: the wait for a git slot can last up to `queue_wait_seconds`, and
/// meanwhile the repository may have changed (deleted and re-created without `main`, a member removed, made
/// private). So after the wait the gate asks again, with fresh facts, and git runs only on that answer.
extension AccessGate {
    /// Why a request that was allowed does not run git after all.
    public enum SlotOutcome: Sendable {
        /// A slot is taken, and access still holds: `grant` is the answer of the second look.
        case granted(Grant, ProcessLimiter.Permit)
        /// The second look refused (the repository changed while the request waited).
        case denied(AccessDenial)
        /// No slot: the limit that was hit, as the text the client sees.
        case busy(String)
        /// The client went away while waiting.
        case cancelled
    }

    /// The share a request counts against: its key, or its source address when it has none.
    public static func slotClaim(_ identity: Identity, grant: Grant, source: String) -> SlotClaim {
        SlotClaim(
            owner: identity.key?.fingerprint ?? identity.clusterNode.map { "node:\($0)" } ?? "anonymous@\(source)",
            isPrivileged: grant.isPrivileged)
    }

    /// Waits for a git slot for a request `grant` allowed, then decides access again.
    public func takeSlot(
        _ grant: Grant, identity: Identity, rawName: String, service: GitService, transport: Transport,
        source: String, limiter: ProcessLimiter
    ) async -> SlotOutcome {
        await takeSlot(
            grant, identity: identity, rawName: rawName, service: service, transport: transport, source: source,
            acquire: { try await limiter.acquire($0) })
    }

    /// Waits for a git slot through `acquire` (HTTP's leaves the queue when its connection closes), then decides
    /// access again.
    public func takeSlot(
        _ grant: Grant, identity: Identity, rawName: String, service: GitService, transport: Transport,
        source: String, acquire: (SlotClaim) async throws -> ProcessLimiter.Permit
    ) async -> SlotOutcome {
        let permit: ProcessLimiter.Permit
        do {
            permit = try await acquire(Self.slotClaim(identity, grant: grant, source: source))
        } catch let error as HostError {
            return .busy(error.message)
        } catch {
            return .cancelled
        }
        switch await authorize(identity, rawName: rawName, service: service, transport: transport) {
        case .success(let fresh) where fresh.path == grant.path:
            return .granted(fresh, permit)
        case .success:
            permit.release()
            return .denied(.notFound)
        case .failure(let denial):
            permit.release()
            return .denied(denial)
        }
    }
}
