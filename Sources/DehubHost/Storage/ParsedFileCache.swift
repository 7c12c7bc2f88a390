import Foundation
import Synchronization

/// Small files the host reads on every request (`DATA/admins`, a repo's `dehub-readers`, `DATA/tokens`), parsed once
/// per version of the file: the parsed value is kept with the file's stamp (device, inode, size, modification and
/// change times), which one `stat` compares on every lookup. An edit in place, or a replacement by rename, changes
/// the stamp, and the next lookup reads the file again.
///
/// Fail closed: a file that cannot be stat'ed is read as before (the cache is bypassed); a file changed in the last
/// `racyWindow` is never trusted from the cache (a write in the same clock tick as the read could keep the stamp, as
/// git's "racy git" case), so it is read again until it has been still for that long. At most `capacity` files are
/// kept; past that the cache starts afresh.
final class ParsedFileCache<Value: Sendable>: Sendable {
    /// What identifies one version of a file.
    struct Stamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: timespec
        var changed: timespec

        static func == (a: Stamp, b: Stamp) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size
                && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
                && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
        }

        /// The stamp of `path` now, or nil when it cannot be stat'ed.
        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = info.st_mtim
            changed = info.st_ctim
        }
    }

    /// Seconds a file must have been still before its parsed value is kept.
    let racyWindow: Int
    let capacity: Int
    private let parse: @Sendable (String) -> Value
    private let entries = Mutex<[String: (stamp: Stamp, value: Value)]>([:])

    /// - Parameter parse: reads the file at a path (e.g. `AuthorizedKeysFile.read`).
    init(capacity: Int = 4096, racyWindow: Int = 2, parse: @escaping @Sendable (String) -> Value) {
        self.capacity = capacity
        self.racyWindow = racyWindow
        self.parse = parse
    }

    /// The parsed file at `path`: from the cache when its stamp is the one the cached value was read under.
    func value(atPath path: String) -> Value {
        guard let before = Stamp(path: path) else { return parse(path) }
        if let hit = entries.withLock({ $0[path] }), hit.stamp == before { return hit.value }
        let value = parse(path)
        // Kept only when the file did not change while it was read, and has been still for a while.
        guard let after = Stamp(path: path), after == before, isSettled(after) else { return value }
        entries.withLock { table in
            if table.count >= capacity, table[path] == nil { table.removeAll() }
            table[path] = (after, value)
        }
        return value
    }

    /// Whether the file's last change is at least `racyWindow` seconds old (by the wall clock its times are in).
    func isSettled(_ stamp: Stamp) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let last = max(stamp.modified.tv_sec, stamp.changed.tv_sec)
        return now.tv_sec - last >= racyWindow
    }

    /// How many files are kept (tests).
    var count: Int { entries.withLock { $0.count } }
}
