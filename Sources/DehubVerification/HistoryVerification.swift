import DehubCore
import DehubGit
import DehubSignatures
import Dispatch

/// Verifies a run of commits (a range, a branch from its root) under one branch's rules, as `dehub verify` does:
/// on all cores, with the repository's verdict cache (format §9.3), and with main's root of trust checked at the
/// tip (format §10 rule 5). Unlike the hook it reads and writes the verdict cache, so it is for objects that are
/// already in the repository, never for a push still in quarantine.
public enum HistoryVerification {
    /// The verdicts, oldest first, and what went wrong keeping the cache (never a reason to fail).
    public struct Result: Sendable {
        public var verdicts: [CommitVerdict]
        /// Set when the verdict cache could not be written: it only costs time on the next run.
        public var cacheWarning: String?

        public var failed: [CommitVerdict] { verdicts.filter { !$0.isVerified } }
        public var isVerified: Bool { verdicts.allSatisfy(\.isVerified) }
    }

    /// How the verdict cache is used.
    public enum CacheUse: Sendable {
        /// Answer from the cache and record new passes (the default).
        case readWrite
        /// Check every commit again, still recording the passes (`dehub verify --no-cache`).
        case recordOnly
    }

    /// The verdict cache of a repository, read on another thread while the caller walks the history it is for (the
    /// file holds up to 8 MiB of keys, checksummed, then hashed into a set: a few milliseconds for 10,000).
    public final class CacheLoading: @unchecked Sendable {
        let use: CacheUse
        let store: VerdictCacheFileStore
        private let group = DispatchGroup()
        // Written once on the loading thread, read only after `group.wait()`.
        private var loaded: VerdictCache?

        public init(repository: GitRepository, use: CacheUse) {
            self.use = use
            store = VerdictCacheFileStore(repository: repository)
            let store = store
            DispatchQueue.global().async(group: group) { [self] in
                loaded = VerdictCache(store: store, answers: use == .readWrite)
            }
        }

        /// The cache, once read.
        func wait() -> VerdictCache {
            group.wait()
            return loaded ?? VerdictCache(file: nil, answers: use == .readWrite)
        }
    }

    /// Verifies `commits` (oldest first, each the child of the one before or of a commit already verified) as
    /// commits `branch` takes. The last commit also gets main's root-of-trust check.
    /// `links`: what `GitRepository.linearHistory` read of exactly these commits, if it did. `loading`: the cache of
    /// `repo`, already being read for `use` (it is read here otherwise). `answers`: the cache's answers a `walk` got
    /// for exactly these commits.
    public static func verify(
        _ commits: [ObjectID], branch: String, in repo: GitRepository, cache use: CacheUse = .readWrite,
        progress: (any VerificationProgress)? = nil, links: [HistoryLink]? = nil, loading: CacheLoading? = nil,
        answers: [CommitVerdict?]? = nil
    ) throws -> Result {
        guard !commits.isEmpty else { return Result(verdicts: []) }
        let gitDir = repo.gitDirectory
        let items = commits.map { ParallelVerification.Item(commit: $0, branch: branch, nonFastForward: false) }
        let loading = loading.flatMap { $0.use == use ? $0 : nil } ?? CacheLoading(repository: repo, use: use)
        let store = loading.store
        let cache = loading.wait()
        var result = Result(
            verdicts: try ParallelVerification.verify(
                items, open: { try GitRepository.open(path: gitDir) }, signatures: SignatureVerifier.shared,
                progress: progress, cache: cache, primary: repo, links: links, answered: answers))
        do {
            try cache.save(to: store)
        } catch {
            result.cacheWarning = "the verdict cache was not updated: \(error)"
        }
        if let rejection = try AncestryCheck.rejection(for: commits.last, branch: branch, in: repo) {
            result.verdicts[result.verdicts.count - 1].rejection = rejection
        }
        return result
    }

    /// What a walk of a history found: the commits, oldest first; what a first-parent pass read of them, when they
    /// are a line; and the verdict cache's answers for them (nil: a miss), when it was asked during the walk.
    public struct Walk: Sendable {
        public var commits: [ObjectID]
        public var links: [HistoryLink]?
        public var answers: [CommitVerdict?]?

        public init(commits: [ObjectID], links: [HistoryLink]? = nil, answers: [CommitVerdict?]? = nil) {
            self.commits = commits
            self.links = links
            self.answers = answers
        }
    }

    /// `commits(from:excluding:in:)`, with the verdict cache that `loading` reads asked about each commit of a line
    /// on another thread while the walk goes on (`CacheAnsweringPipeline`), as commits `branch` takes by a
    /// fast-forward.
    public static func walk(
        from tip: ObjectID, excluding: ObjectID?, branch: String, in repo: GitRepository, loading: CacheLoading
    ) throws -> Walk {
        guard loading.use == .readWrite else {
            let history = try commits(from: tip, excluding: excluding, in: repo)
            return Walk(commits: history.commits, links: history.links, answers: nil)
        }
        let gitDir = repo.gitDirectory
        let pipeline = CacheAnsweringPipeline(loading: loading, branch: branch) { try GitRepository.open(path: gitDir) }
        let links = repo.linearHistory(from: tip, excluding: excluding, onLinks: pipeline.feed)
        let answers = Array(pipeline.finish().reversed())
        guard let links else {
            return Walk(commits: try repo.commits(from: tip, excluding: excluding.map { [$0] } ?? []), links: nil, answers: nil)
        }
        return Walk(commits: links.map(\.id), links: links, answers: answers.count == links.count ? answers : nil)
    }

    /// The commits reachable from `tip` and not from `excluding`, oldest first, as `GitRepository.commits` lists
    /// them; when they are one line of first parents (a dehub history is), read in one pass whose links then answer
    /// the verdict cache without a second read.
    public static func commits(
        from tip: ObjectID, excluding: ObjectID?, in repo: GitRepository
    ) throws -> (commits: [ObjectID], links: [HistoryLink]?) {
        if let links = repo.linearHistory(from: tip, excluding: excluding) { return (links.map(\.id), links) }
        return (try repo.commits(from: tip, excluding: excluding.map { [$0] } ?? []), nil)
    }
}
