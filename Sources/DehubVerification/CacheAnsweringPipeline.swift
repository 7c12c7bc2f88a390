import DehubCore
import DehubGit
import DehubSignatures
import Dispatch

/// Asks the verdict cache (format §9.3) about a linear history while it is being walked. The walk reads the commits
/// newest first and hands its links over in runs (`feed`); this answers them on another thread, on its own handle,
/// each once the link after it (its parent, whose tree is its governing tree) has come. A run answered from the cache
/// then costs little more than the walk itself.
///
/// Every answer is `CommitVerifier`'s own (the same key, the same object checks); anything that goes wrong here
/// (no cache, no handle, a link whose parent is not the next link) is a miss, which the full verification checks.
final class CacheAnsweringPipeline: @unchecked Sendable {
    private let queue = DispatchQueue(label: "dehub.cache-answers")
    private let loading: HistoryVerification.CacheLoading
    private let open: @Sendable () throws -> GitRepository
    private let branch: String
    private let limits: PayloadLimits
    // Only touched on `queue`.
    private var verifier: CommitVerifier?
    private var unavailable = false
    /// The newest link not answered yet: its parent has not come.
    private var waiting: HistoryLink?
    /// One per link answered, newest first (nil: a miss).
    private var answers: [CommitVerdict?] = []

    init(
        loading: HistoryVerification.CacheLoading, branch: String, limits: PayloadLimits = .default,
        open: @escaping @Sendable () throws -> GitRepository
    ) {
        self.loading = loading
        self.branch = branch
        self.limits = limits
        self.open = open
    }

    /// Links read by the walk, newest first, continuing the ones fed before.
    func feed(_ links: [HistoryLink]) {
        queue.async { [self] in
            for link in links {
                if let child = waiting { answers.append(answer(child, parent: link)) }
                waiting = link
            }
        }
    }

    /// The answers, newest first, one per link fed, once every one has been asked. The oldest link's parent was not
    /// fed (a root commit has none; a range stops short of it): its tree is read here.
    func finish() -> [CommitVerdict?] {
        queue.sync {
            if let oldest = waiting {
                answers.append(prepared()?.cachedVerdict(oldest, branch: branch, nonFastForward: false))
                waiting = nil
            }
            return answers
        }
    }

    private func answer(_ child: HistoryLink, parent: HistoryLink) -> CommitVerdict? {
        guard child.parent == parent.id, let verifier = prepared() else { return nil }
        return verifier.cachedVerdict(child, parentTree: parent.tree, branch: branch, nonFastForward: false)
    }

    /// The verifier that answers, made on first use (after the cache file is read); nil when there is nothing to ask.
    private func prepared() -> CommitVerifier? {
        if let verifier { return verifier }
        guard !unavailable else { return nil }
        let cache = loading.wait()
        guard cache.answers, let repository = try? open() else {
            unavailable = true
            return nil
        }
        let made = CommitVerifier(repository: repository, signatures: SignatureVerifier.shared, limits: limits, cache: cache)
        verifier = made
        return made
    }
}
