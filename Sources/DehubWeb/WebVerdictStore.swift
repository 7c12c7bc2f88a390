import DehubCore
import DehubGit
import Foundation
import Synchronization

/// The web view's verdict caches (format §9.3), one file per repository under the host's data directory:
/// `DIR/NAME.verdicts-v1`, the CLI's file format, read and written by DehubGit's `VerdictCacheFileStore`. A verdict
/// never changes for a given commit, branch and governing config, which is what `VerdictKey` names, so a pass is
/// checked once and answered from the file ever after (refusals are worked out again, and explained, each time).
///
/// The host writes these files itself, from its own checks: they are not pushed by anyone. Each repository's cache is
/// kept in memory once read; a request that recorded new passes writes the file and replaces the copy in memory.
public final class WebVerdictStore: Sendable {
    public let directory: String
    private let caches = Mutex<[String: VerdictCache]>([:])

    public init(directory: String) { self.directory = directory }

    func store(_ repository: String) -> VerdictCacheFileStore {
        VerdictCacheFileStore(path: directory + "/" + repository + ".verdicts-v1")
    }

    /// The cache of `repository` (read from its file the first time).
    public func cache(_ repository: String) -> VerdictCache {
        if let cached = caches.withLock({ $0[repository] }) { return cached }
        let loaded = VerdictCache(store: store(repository))
        return caches.withLock { current in
            if let existing = current[repository] { return existing }
            current[repository] = loaded
            return loaded
        }
    }

    /// Writes what `cache` recorded (if anything) and keeps the merged cache in memory.
    public func save(_ cache: VerdictCache, for repository: String) {
        guard cache.recordedCount > 0 else { return }
        let bytes = cache.encoded()
        let file = store(repository)
        let parent = (file.path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try? file.write(bytes)
        let merged = VerdictCache(file: bytes)
        caches.withLock { $0[repository] = merged }
    }
}
