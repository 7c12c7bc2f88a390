import DehubGit
import Dispatch

/// A repository handle opened on another thread ahead of need: the hook's second worker opens its handle while the
/// first thread still walks the push, instead of starting after it (format-free plumbing: nothing is read through
/// the handle before it is taken).
///
/// `take` hands out that handle the first time (waiting for it to be open, or throwing what opening it threw) and
/// opens a new one on later calls. `finish` waits for the opening when nobody took the handle, so no work outlives
/// the caller.
final class HandleInAdvance: @unchecked Sendable {
    private let open: @Sendable () throws -> GitRepository
    private let opened = DispatchSemaphore(value: 0)
    private let lock = DispatchQueue(label: "dehub.handle-in-advance")
    private var result: Result<GitRepository, any Error>?
    private var claimed = false

    init(_ open: @escaping @Sendable () throws -> GitRepository) {
        self.open = open
        DispatchQueue.global().async { [self] in
            let outcome = Result { try open() }
            lock.sync { result = outcome }
            opened.signal()
        }
    }

    func take() throws -> GitRepository {
        guard claim() else { return try open() }
        opened.wait()
        let outcome = lock.sync {
            defer { result = nil }
            return result
        }
        guard let outcome else { return try open() }  // unreachable: the opening signals only once it has a result
        return try outcome.get()
    }

    func finish() {
        guard claim() else { return }
        opened.wait()
        lock.sync { result = nil }
    }

    /// True for the first caller only: it gets (or discards) the handle opened in advance.
    private func claim() -> Bool {
        lock.sync {
            defer { claimed = true }
            return !claimed
        }
    }
}
