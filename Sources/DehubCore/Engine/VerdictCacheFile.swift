import Crypto

/// The bytes of a verdict cache file (format §9.3), version 1:
///
///     "dehub verdicts 1\n"      17 bytes
///     count                     4 bytes, big-endian
///     count keys                32 bytes each (`VerdictKey`), oldest first
///     SHA-256 of all the above  32 bytes
///
/// Decoding is all or nothing: a file of another version, of the wrong length (truncated or appended to), with more
/// than `maxEntries` keys or whose checksum does not match is no cache at all (nil), never part of one. The checksum
/// catches torn and corrupted files; it is not a secret (see docs/threat-model.md, A29).
public enum VerdictCacheFile {
    public static let magic: [UInt8] = Array("dehub verdicts 1\n".utf8)
    /// The most keys a file holds: 256 Ki keys, 8 MiB.
    public static let maxEntries = 1 << 18
    static let keyBytes = 32
    static let checksumBytes = 32

    /// The largest valid file, so that a reader can refuse a bigger one without reading it.
    public static var maxBytes: Int { magic.count + 4 + maxEntries * keyBytes + checksumBytes }

    /// The file holding `keys` (at most `maxEntries`: the newest, that is the last ones, are kept).
    public static func encode(_ keys: [VerdictKey]) -> [UInt8] {
        let kept = keys.suffix(maxEntries)
        var out = magic
        out.reserveCapacity(magic.count + 4 + kept.count * keyBytes + checksumBytes)
        let count = UInt32(kept.count)
        out += [
            UInt8(count >> 24), UInt8(truncatingIfNeeded: count >> 16), UInt8(truncatingIfNeeded: count >> 8),
            UInt8(truncatingIfNeeded: count),
        ]
        for key in kept { out += key.bytes }
        out += SHA256.hash(data: out)
        return out
    }

    /// The keys of a valid file, oldest first; nil for anything else.
    public static func decode(_ bytes: [UInt8]) -> [VerdictKey]? {
        let header = magic.count + 4
        guard bytes.count >= header + checksumBytes, bytes.starts(with: magic) else { return nil }
        let count = bytes[magic.count..<header].reduce(0) { $0 << 8 | Int($1) }
        guard count <= maxEntries, bytes.count == header + count * keyBytes + checksumBytes else { return nil }
        let body = bytes[..<(bytes.count - checksumBytes)]
        guard Array(SHA256.hash(data: body)) == Array(bytes[(bytes.count - checksumBytes)...]) else { return nil }
        return bytes.withUnsafeBytes { raw in
            var keys: [VerdictKey] = []
            keys.reserveCapacity(count)
            for i in 0..<count {
                let start = header + i * keyBytes
                guard let key = VerdictKey(raw: UnsafeRawBufferPointer(rebasing: raw[start..<(start + keyBytes)])) else {
                    return nil
                }
                keys.append(key)
            }
            return keys
        }
    }
}

/// Where a verdict cache is kept (an adapter: `.git/dehub/verdicts-v1` in `DehubGit`). Reading nothing (no file,
/// an unreadable or oversized one) is an empty cache; writing replaces the whole file atomically.
public protocol VerdictCacheStoring: Sendable {
    /// The stored bytes, nil when there are none or they cannot be read. Must not return more than `limit` bytes.
    func read(limit: Int) -> [UInt8]?
    /// Replaces the stored bytes in one step: a reader sees the old bytes or the new ones, never a mix.
    func write(_ bytes: [UInt8]) throws
}
