/// Told about each commit a verification checks, from any of its worker threads; a command draws a progress line
/// with it, a server counts or ignores it.
public protocol VerificationProgress: Sendable {
    /// One more commit was checked (or answered from the verdict cache).
    func advance()
    /// The verification is over (called once, whatever its result).
    func finish()
}
