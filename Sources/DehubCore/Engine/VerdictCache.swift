import Synchronization

/// The verdict cache (format §9.3): remembers the commits that passed §9 and for exactly which question
/// (`VerdictKey`), so that a later run answers the same question without checking again. Only passes are kept: a
/// refusal is always worked out afresh (and explained). Safe to share across the threads of one run: the keys read
/// from the store are fixed at creation, new passes are collected under a lock.
///
/// A hit is only half of the answer: `CommitVerifier` asks it only after it has read the commit, its parent, the
/// governing tree and the commit's own tree (so a commit whose objects are missing is never a hit) and after it has
/// worked out every input of the key from those objects.
public final class VerdictCache: Sendable {
    private let known: Set<VerdictKey>
    private let loaded: [VerdictKey]
    private let fresh = Mutex<(keys: [VerdictKey], seen: Set<VerdictKey>)>(([], []))
    /// Whether lookups are answered (false: `--no-cache` reads nothing, but passes are still recorded).
    public let answers: Bool

    /// A cache holding the keys of `bytes` (a `VerdictCacheFile`), or nothing when they are not a valid file.
    public init(file bytes: [UInt8]?, answers: Bool = true) {
        loaded = bytes.flatMap(VerdictCacheFile.decode) ?? []
        known = Set(loaded)
        self.answers = answers
    }

    /// The cache kept by `store` (empty when it holds nothing valid).
    public convenience init(store: VerdictCacheStoring, answers: Bool = true) {
        self.init(file: store.read(limit: VerdictCacheFile.maxBytes), answers: answers)
    }

    /// How many keys were read from the store.
    public var loadedCount: Int { loaded.count }

    /// True when a pass for exactly `key` was recorded by an earlier run.
    public func contains(_ key: VerdictKey) -> Bool { answers && known.contains(key) }

    /// Remembers a pass for `key` (to be written by `save(to:)`).
    public func record(_ key: VerdictKey) {
        guard !known.contains(key) else { return }
        fresh.withLock { if $0.seen.insert(key).inserted { $0.keys.append(key) } }
    }

    /// How many passes were recorded in this run that the store did not hold.
    public var recordedCount: Int { fresh.withLock { $0.keys.count } }

    /// The file to store: the keys read, then the new ones, the oldest dropped beyond `VerdictCacheFile.maxEntries`.
    public func encoded() -> [UInt8] {
        VerdictCacheFile.encode(loaded + fresh.withLock { $0.keys })
    }

    /// Writes the cache back when this run recorded anything new. Returns whether it wrote.
    @discardableResult
    public func save(to store: VerdictCacheStoring) throws -> Bool {
        guard recordedCount > 0 else { return false }
        try store.write(encoded())
        return true
    }
}
