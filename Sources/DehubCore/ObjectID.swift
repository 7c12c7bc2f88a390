/// A git object id (SHA-1, 20 bytes), held inline: making, hashing and comparing one allocates nothing, which
/// matters where ids are made by the ten thousand (a history walk, the verdict cache).
public struct ObjectID: Hashable, Sendable, CustomStringConvertible {
    /// The 20 bytes in order: 8 + 8 + 4.
    private var words: (UInt64, UInt64, UInt32)

    /// The 20 bytes, as a new array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    public static let zero = ObjectID(words: (0, 0, 0))

    private init(words: (UInt64, UInt64, UInt32)) { self.words = words }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 20 else { return nil }
        self.init(unchecked: bytes)
    }

    init(unchecked bytes: [UInt8]) {
        words = (0, 0, 0)
        Swift.withUnsafeMutableBytes(of: &words) { target in
            bytes.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(20))) }
        }
    }

    /// The id of exactly 20 raw bytes (a libgit2 oid, a binary digest); nil for any other length.
    public init?(raw: UnsafeRawBufferPointer) {
        guard raw.count == 20 else { return nil }
        words = (0, 0, 0)
        Swift.withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: raw) }
    }

    /// Parses 40 hex digits (either case).
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard let id = utf8.withUnsafeBytes({ ObjectID(hexDigits: $0) }) else { return nil }
        self = id
    }

    /// Parses 40 hex digits (either case) given as their UTF-8 bytes, as they appear in a raw commit object.
    public init?(hexDigits utf8: UnsafeRawBufferPointer) {
        guard utf8.count == 40 else { return nil }
        var words: (UInt64, UInt64, UInt32) = (0, 0, 0)
        let valid = Swift.withUnsafeMutableBytes(of: &words) { out -> Bool in
            for i in 0..<20 {
                guard let hi = Hex.nibble(utf8[2 * i]), let lo = Hex.nibble(utf8[2 * i + 1]) else { return false }
                out[i] = hi << 4 | lo
            }
            return true
        }
        guard valid else { return nil }
        self.words = words
    }

    /// Runs `body` on the 20 bytes, without copying them.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words) { try body($0) }
    }

    public static func == (a: ObjectID, b: ObjectID) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
    }

    public var isZero: Bool { words.0 == 0 && words.1 == 0 && words.2 == 0 }
    public var hex: String { Hex.encode(bytes) }
    public var short: String { String(hex.prefix(10)) }
    public var description: String { hex }
}

enum Hex {
    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func encode(_ bytes: [UInt8], uppercase: Bool = false) -> String {
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
