import Crypto

/// A version-0 fingerprint: the byte 0x00 followed by a SHA-256 digest (33 bytes), written as standard base64.
public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 33
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount, bytes[0] == 0 else { return nil }
        self.bytes = bytes
    }

    /// Parses standard base64 with padding; refuses other lengths and versions.
    public init(base64 text: String) throws(FingerprintError) {
        guard let raw = Base64.decode(text) else { throw .notBase64 }
        guard raw.count == Self.byteCount else { throw .wrongLength(raw.count) }
        guard raw[0] == 0 else { throw .unknownVersion(raw[0]) }
        self.bytes = raw
    }

    public var base64: String { Base64.encode(bytes) }
    public var description: String { base64 }

    /// `0x00 ++ SHA256(uvarint(len(description)) ++ description ++ uvarint(n) ++ files...)`, files in ascending
    /// byte order of their paths (format §5.2).
    public static func change(description: String, files: [FileChange]) -> Fingerprint {
        var hasher = SHA256()
        hashString(Array(description.utf8), into: &hasher)
        let sorted = files.sorted { $0.path.lexicographicallyPrecedes($1.path) }
        hasher.update(data: UVarint.encode(UInt64(sorted.count)))
        for file in sorted {
            hashString(file.path, into: &hasher)
            hasher.update(data: littleEndian(file.fromMode))
            hasher.update(data: file.fromID.bytes)
            hasher.update(data: littleEndian(file.toMode))
            hasher.update(data: file.toID.bytes)
        }
        return Fingerprint(digest: hasher.finalize())
    }

    /// `0x00 ++ SHA256(uvarint(len(comment)) ++ comment)`.
    public static func comment(_ text: String) -> Fingerprint {
        var hasher = SHA256()
        hashString(Array(text.utf8), into: &hasher)
        return Fingerprint(digest: hasher.finalize())
    }

    /// The marker that opens a tag fingerprint's input: `uvarint(2^64 - 1)`. Read as the length that opens a
    /// change's or a comment's input it claims more bytes than any input holds, so a tag's input never equals
    /// theirs and a credential made for a tag never counts for a change or a comment, nor the other way round.
    public static let tagMarker: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]

    /// `0x00 ++ SHA256(tagMarker ++ uvarint(len(name)) ++ name ++ target (20 bytes) ++ uvarint(len(description))
    /// ++ description)` (format §5.5).
    public static func tag(name: String, target: ObjectID, description: String) -> Fingerprint {
        var hasher = SHA256()
        hasher.update(data: tagMarker)
        hashString(Array(name.utf8), into: &hasher)
        hasher.update(data: target.bytes)
        hashString(Array(description.utf8), into: &hasher)
        return Fingerprint(digest: hasher.finalize())
    }

    private init(digest: SHA256.Digest) {
        self.bytes = [0] + Array(digest)
    }

    private static func hashString(_ bytes: [UInt8], into hasher: inout SHA256) {
        hasher.update(data: UVarint.encode(UInt64(bytes.count)))
        hasher.update(data: bytes)
    }

    private static func littleEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24 & 0xff)]
    }
}

public enum FingerprintError: Error, Equatable, Sendable, CustomStringConvertible {
    case notBase64
    case wrongLength(Int)
    case unknownVersion(UInt8)

    public var description: String {
        switch self {
        case .notBase64: return "is not valid standard base64"
        case .wrongLength(let n): return "decodes to \(n) bytes, expected \(Fingerprint.byteCount)"
        case .unknownVersion(let v): return "has version \(v), only version 0 is known"
        }
    }
}

/// Unsigned LEB128, as Go's `binary.PutUvarint`.
public enum UVarint {
    public static func encode(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }
}
