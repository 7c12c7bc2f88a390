import DehubVerification
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// "verifying 1200/10000 commits" on stderr, redrawn in place, only when stderr is a terminal.
final class ProgressLine: VerificationProgress {
    private let total: Int
    private let label: String
    private let done = Atomic<Int>(0)

    init?(total: Int, label: String, minimum: Int = 500) {
        guard total >= minimum, isatty(2) == 1 else { return nil }
        self.total = total
        self.label = label
    }

    func advance() {
        let n = done.add(1, ordering: .relaxed).newValue
        if n % 250 == 0 { Output.write(2, "\r\(label) \(n)/\(total)") }
    }

    func finish() { Output.write(2, "\r\(label) \(done.load(ordering: .relaxed))/\(total)\n") }
}
