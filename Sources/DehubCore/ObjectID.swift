/// A git object id (SHA-1, 20 bytes).
public struct ObjectID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public static let zero = ObjectID(unchecked: [UInt8](repeating: 0, count: 20))

    public init?(bytes: [UInt8]) {
        guard bytes.count == 20 else { return nil }
        self.bytes = bytes
    }

    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// Parses 40 hex digits (either case).
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard let id = utf8.withUnsafeBytes({ ObjectID(hexDigits: $0) }) else { return nil }
        self = id
    }

    /// Parses 40 hex digits (either case) given as their UTF-8 bytes, as they appear in a raw commit object.
    public init?(hexDigits utf8: UnsafeRawBufferPointer) {
        guard utf8.count == 40 else { return nil }
        var out = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 {
            guard let hi = Hex.nibble(utf8[2 * i]), let lo = Hex.nibble(utf8[2 * i + 1]) else { return nil }
            out[i] = hi << 4 | lo
        }
        self.bytes = out
    }

    public static func == (a: ObjectID, b: ObjectID) -> Bool { a.bytes == b.bytes }

    /// The bytes in one go (the synthesized hash feeds them to the hasher one at a time).
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }
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
