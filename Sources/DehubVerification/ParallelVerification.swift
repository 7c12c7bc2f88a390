import DehubCore
import DehubGit
import DehubSignatures
import Dispatch
import Synchronization

/// Verifies many commits on all cores: each worker has its own repository handle and verifier (libgit2
/// handles are not shared across threads); the signature verifier and its parsed-key cache are shared. Workers take
/// runs of consecutive items, so that a worker mostly verifies a commit right after its parent (whose tree and
/// config it has just read).
public enum ParallelVerification {
    /// Items a worker takes at a time: runs of consecutive commits, but small enough next to the whole that the workers
    /// finish together (with 300 items in blocks of 128 one worker took 172 and the other 128). A block's first commit
    /// reads its parent's tree once more; that is all a smaller block costs.
    static func block(items: Int, workers: Int) -> Int {
        min(128, max(8, items / max(1, workers * 8)))
    }

    /// How many workers verify `items` commits: one per 64 commits, at most `workers`.
    static func workerCount(items: Int, workers: Int) -> Int {
        max(1, min(workers, items / 64 + 1))
    }

    /// One commit to verify, with the facts it is judged under (format §9).
    public struct Item: Sendable, Equatable {
        public var commit: ObjectID
        /// The short name of the branch whose rules apply.
        public var branch: String
        /// True when the update that brings the commit is not a fast-forward.
        public var nonFastForward: Bool

        public init(commit: ObjectID, branch: String, nonFastForward: Bool) {
            self.commit = commit
            self.branch = branch
            self.nonFastForward = nonFastForward
        }
    }

    /// With `stopAtFirstRejection`, the result ends at the first item (in order) that is not verified: the items
    /// after it are not checked (workers stop as soon as one of them finds it), so a push that is refused anyway
    /// costs no more than its first refused commit.
    /// `primary`: a handle the caller has finished with (typically the one that walked the range), used by the first
    /// worker: libgit2 keeps the commits it read in that handle's object cache.
    /// `open` makes a fresh handle on the repository for each worker; the verdicts come back in the order of `items`.
    /// `links`: what a first-parent walk read of the items' commits (`GitRepository.linearHistory`), one per item
    /// and in the same order; the verdict cache is then asked from them, without reading the commits again.
    /// `answeringRun`: the fewest items a handle asks the cache for (more handles only for longer lists).
    /// `answered`: the cache's answers already known for the items (one per item, nil for a miss), from a walk that
    /// asked while it read them (`HistoryVerification.walk`); the cache is not asked again.
    public static func verify(
        _ items: [Item], open: @escaping @Sendable () throws -> GitRepository, signatures: SignatureVerifying,
        limits: PayloadLimits = .default, workers: Int = ProcessorCount.value, progress: (any VerificationProgress)? = nil,
        stopAtFirstRejection: Bool = false, cache: VerdictCache? = nil, primary: GitRepository? = nil,
        links: [HistoryLink]? = nil, answeringRun: Int = answeringBlock, answered known: [CommitVerdict?]? = nil
    ) throws -> [CommitVerdict] {
        defer { progress?.finish() }
        // One verification is one history (the hook checks every update's roots against main's first): its project
        // id, for bound credentials, is worked out at most once and shared by the workers.
        let project = items.last.map { ProjectScope(anchor: $0.commit) }
        guard let cache, cache.answers else {
            return try verifyAll(
                items, open: open, signatures: signatures, limits: limits, workers: workers, progress: progress,
                stopAtFirstRejection: stopAtFirstRejection, cache: cache, primary: primary, project: project)
        }
        // The cache first: a hit reads no more than the walk already did (nothing at all when `links` are given), so
        // only the misses are verified on all cores.
        let repository = try primary ?? open()
        // Links that do not match the items (a caller's mistake) are not used: the commits are then read again.
        let links = links.flatMap { $0.count == items.count && zip($0, items).allSatisfy { $0.id == $1.commit } ? $0 : nil }
        // Answers that do not match the items (a caller's mistake) are not used; only passes for the same commit are.
        let answered: [CommitVerdict?]
        if let known, known.count == items.count,
            zip(known, items).allSatisfy({ $0 == nil || ($0?.commit == $1.commit && $0?.isVerified == true) })
        {
            answered = known
            for _ in known.compactMap(\.self) { progress?.advance() }
        } else {
            answered = try answerFromCache(
                items, links: links, repository: repository, open: open, signatures: signatures, limits: limits,
                workers: min(workers, items.count / max(1, answeringRun)), project: project, cache: cache,
                progress: progress)
        }
        let pending = answered.indices.filter { answered[$0] == nil }
        let checked = try verifyAll(
            pending.map { items[$0] }, open: open, signatures: signatures, limits: limits, workers: workers,
            progress: progress, stopAtFirstRejection: stopAtFirstRejection, cache: cache, primary: repository,
            project: project)
        var verdicts: [CommitVerdict] = []
        var next = checked.makeIterator()
        for slot in answered {
            // `checked` ends early only at its first rejection (stopAtFirstRejection): nothing after it is reported.
            guard let verdict = slot ?? next.next() else { break }
            verdicts.append(verdict)
            if stopAtFirstRejection, !verdict.isVerified { break }
        }
        return verdicts
    }

    /// Items a handle asks the cache for at least: below that, a second handle costs more than it saves.
    public static let answeringBlock = 2048

    /// The cache's answer for each item (nil: a miss), asked in contiguous runs on `workers` handles, each run
    /// oldest first (so that each link's parent tree comes from the link before it; the first of a run reads it).
    private static func answerFromCache(
        _ items: [Item], links: [HistoryLink]?, repository: GitRepository,
        open: @escaping @Sendable () throws -> GitRepository, signatures: SignatureVerifying, limits: PayloadLimits,
        workers: Int, project: ProjectScope?, cache: VerdictCache, progress: (any VerificationProgress)?
    ) throws -> [CommitVerdict?] {
        let count = max(1, workers)
        let repositories = AnsweringHandles(try (0..<count).map { $0 == 0 ? repository : try open() })
        let box = ResultBox(count: items.count)
        let run = (items.count + count - 1) / count
        DispatchQueue.concurrentPerform(iterations: count) { worker in
            let answering = CommitVerifier(
                repository: repositories.handles[worker], signatures: signatures, limits: limits, project: project,
                cache: cache)
            var hits: [(Int, CommitVerdict)] = []
            defer { box.set(hits) }
            for i in (worker * run)..<min(items.count, (worker + 1) * run) {
                let item = items[i]
                let found =
                    if let links {
                        answering.cachedVerdict(links[i], branch: item.branch, nonFastForward: item.nonFastForward)
                    } else {
                        answering.cachedVerdict(item.commit, branch: item.branch, nonFastForward: item.nonFastForward)
                    }
                if let found {
                    hits.append((i, found))
                    progress?.advance()
                }
            }
        }
        return box.takeAll()
    }

    /// One handle per run of `answerFromCache`; each is used by its worker only.
    private struct AnsweringHandles: @unchecked Sendable {
        let handles: [GitRepository]
        init(_ handles: [GitRepository]) { self.handles = handles }
    }

    private static func verifyAll(
        _ items: [Item], open: @escaping @Sendable () throws -> GitRepository, signatures: SignatureVerifying,
        limits: PayloadLimits, workers: Int, progress: (any VerificationProgress)?, stopAtFirstRejection: Bool,
        cache: VerdictCache?,
        primary: GitRepository?, project: ProjectScope?
    ) throws -> [CommitVerdict] {
        guard !items.isEmpty else { return [] }
        let count = workerCount(items: items.count, workers: workers)
        if count == 1 {
            let verifier = CommitVerifier(
                repository: try primary ?? open(), signatures: signatures, limits: limits, project: project, cache: cache)
            var verdicts: [CommitVerdict] = []
            for item in items {
                progress?.advance()
                verdicts.append(verifier.verify(item.commit, branch: item.branch, nonFastForward: item.nonFastForward))
                if stopAtFirstRejection, verdicts.last?.isVerified == false { break }
            }
            return verdicts
        }
        let box = ResultBox(count: items.count)
        let firstRejected = Atomic<Int>(Int.max)
        let given = UncheckedRepositories(primary)
        let openFailure = OpenFailure()
        let nextBlock = Atomic<Int>(0)
        let blockSize = Self.block(items: items.count, workers: count)
        DispatchQueue.concurrentPerform(iterations: count) { worker in
            // Each worker opens (and at its end frees) its own handle, while the others already verify: done before
            // the workers start, both were time during which every other core waited.
            let repository: GitRepository
            do {
                repository = try worker == 0 ? given.take() ?? open() : open()
            } catch {
                openFailure.record(error)
                return
            }
            let verifier = CommitVerifier(
                repository: repository, signatures: signatures, limits: limits, project: project, cache: cache)
            // Blocks are handed out in order, so every item before the first rejected one is still checked.
            while true {
                let start = nextBlock.add(1, ordering: .relaxed).oldValue * blockSize
                guard start < items.count else { return }
                for i in start..<min(items.count, start + blockSize) {
                    guard i < firstRejected.load(ordering: .acquiring) else { return }
                    let verdict = verifier.verify(
                        items[i].commit, branch: items[i].branch, nonFastForward: items[i].nonFastForward)
                    box.set(i, verdict)
                    if stopAtFirstRejection, !verdict.isVerified { _ = firstRejected.min(i, ordering: .acquiringAndReleasing) }
                    progress?.advance()
                }
            }
        }
        // A handle that could not be opened fails the whole verification, as it did when handles were opened first.
        if let error = openFailure.error { throw error }
        let stop = firstRejected.load(ordering: .acquiring)
        let end = stop == Int.max ? items.count : min(items.count, stop + 1)
        return box.values(upTo: end) { i in
            // Unreachable (every item before the first rejected one is checked); fail closed all the same.
            .refused(items[i].commit, branch: items[i].branch, Rejection(.commitShape, "was not checked (internal error)"))
        }
    }

    /// The caller's handle, handed to the first worker only (libgit2 handles are used by one thread at a time).
    private final class UncheckedRepositories: @unchecked Sendable {
        private var handle: GitRepository?
        init(_ handle: GitRepository?) { self.handle = handle }
        func take() -> GitRepository? {
            defer { handle = nil }
            return handle
        }
    }

    /// The first error a worker met opening its handle.
    private final class OpenFailure: @unchecked Sendable {
        private var first: (any Error)?
        private let lock = DispatchQueue(label: "dehub.open-failure")
        func record(_ error: any Error) { lock.sync { if first == nil { first = error } } }
        var error: (any Error)? { lock.sync { first } }
    }

    private final class ResultBox: @unchecked Sendable {
        private var slotValues: [CommitVerdict?]
        private let lock = DispatchQueue(label: "dehub.verdicts")
        init(count: Int) { slotValues = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ v: CommitVerdict) { lock.sync { slotValues[i] = v } }
        func set(_ pairs: [(Int, CommitVerdict)]) { lock.sync { for (i, v) in pairs { slotValues[i] = v } } }
        /// Moves the verdicts out (the box is done with): no copy of each verdict's strings and arrays.
        func takeAll() -> [CommitVerdict?] { lock.sync { (0..<slotValues.count).map { slotValues[$0].take() } } }
        /// Moves the verdicts out (the box is done with): no copy of each verdict's strings and arrays.
        func values(upTo end: Int, missing: (Int) -> CommitVerdict) -> [CommitVerdict] {
            lock.sync { (0..<end).map { slotValues[$0].take() ?? missing($0) } }
        }
    }
}
