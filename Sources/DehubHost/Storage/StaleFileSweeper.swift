import Foundation

/// Removes what a crash (SIGKILL, power loss) can leave behind, so that it does not block later pushes:
/// git's ref lock files (`refs/heads/main.lock` would refuse every push to main), the quarantine
/// directories of pushes that never finished (`objects/tmp_objdir-incoming-*`, `objects/incoming-*` from older git;
/// a push the host kills has its quarantine removed at once, see `PushQuarantine`), and the host's own
/// half-made or half-deleted repos (`.creating-*`, `.deleting-*`). Only entries older than the ages given
/// are removed: a lock is held for milliseconds and a quarantine for the length of a push, so an old
/// one belongs to no running process (another host or an sshd-run `dehub-host shell` may share the data).
public struct StaleFileSweeper: Sendable {
    public var lockAge: TimeInterval = 10 * 60
    public var quarantineAge: TimeInterval = 6 * 60 * 60

    public init() {}

    /// Sweeps the repos directory and each repo in `repoPaths`; returns what was removed.
    public func sweep(reposDirectory: String, repoPaths: [String], now: Date = Date()) -> [String] {
        var removed: [String] = []
        func remove(_ path: String, olderThan age: TimeInterval) {
            guard let modified = Self.modificationDate(path), now.timeIntervalSince(modified) > age else { return }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        for entry in Self.entries(reposDirectory) where entry.hasPrefix(".creating-") || entry.hasPrefix(".deleting-") {
            remove(reposDirectory + "/" + entry, olderThan: lockAge)
        }
        for repo in repoPaths {
            for entry in Self.entries(repo) where entry.hasSuffix(".lock") {
                remove(repo + "/" + entry, olderThan: lockAge)
            }
            for lock in Self.lockFiles(under: repo + "/refs") { remove(lock, olderThan: lockAge) }
            for entry in Self.entries(repo + "/objects") where PushQuarantine.isQuarantineName(entry) {
                remove(repo + "/objects/" + entry, olderThan: quarantineAge)
            }
        }
        return removed
    }

    private static func entries(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    /// `*.lock` files anywhere under `directory` (refs nest: refs/heads/team/topic.lock). Symlinks are not followed.
    private static func lockFiles(under directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".lock") { found.append(directory + "/" + relative) }
        }
        return found
    }

    private static func modificationDate(_ path: String) -> Date? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
    }
}
