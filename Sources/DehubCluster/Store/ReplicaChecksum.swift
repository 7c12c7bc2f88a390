import Crypto

/// An order-independent checksum of a repository's refs: the sum, modulo 2^256, of SHA-256(`ref oid\n`) over every
/// ref, with the number of refs. Adding and removing a pair are cheap (the store updates it in the same transaction
/// as the refs), and two replicas with the same refs have the same checksum whatever order they were written in.
/// Written `COUNT:HEX` (64 hex digits).
public struct ReplicaChecksum: Hashable, Sendable, CustomStringConvertible {
    /// Four 64-bit limbs, least significant first.
    public private(set) var limbs: [UInt64]
    public private(set) var count: Int

    public static let empty = ReplicaChecksum(limbs: [0, 0, 0, 0], count: 0)

    init(limbs: [UInt64], count: Int) {
        self.limbs = limbs
        self.count = count
    }

    /// The checksum of these `ref -> oid` pairs.
    public init(refs: [String: String]) {
        self = .empty
        for (ref, oid) in refs { add(ref: ref, oid: oid) }
    }

    public mutating func add(ref: String, oid: String) {
        let term = Self.term(ref: ref, oid: oid)
        var carry: UInt64 = 0
        for i in 0..<4 {
            let (partial, overflow1) = limbs[i].addingReportingOverflow(term[i])
            let (sum, overflow2) = partial.addingReportingOverflow(carry)
            limbs[i] = sum
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        count += 1
    }

    public mutating func remove(ref: String, oid: String) {
        let term = Self.term(ref: ref, oid: oid)
        var borrow: UInt64 = 0
        for i in 0..<4 {
            let (partial, overflow1) = limbs[i].subtractingReportingOverflow(term[i])
            let (difference, overflow2) = partial.subtractingReportingOverflow(borrow)
            limbs[i] = difference
            borrow = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        count -= 1
    }

    /// The checksum after a ref moves from `old` to `new` (nil: absent).
    public func applying(ref: String, old: String?, new: String?) -> ReplicaChecksum {
        var result = self
        if let old { result.remove(ref: ref, oid: old) }
        if let new { result.add(ref: ref, oid: new) }
        return result
    }

    static func term(ref: String, oid: String) -> [UInt64] {
        let digest = Array(SHA256.hash(data: Array("\(ref) \(oid)\n".utf8)))
        return (0..<4).map { limb in
            var value: UInt64 = 0
            for byte in digest[(limb * 8)..<(limb * 8 + 8)] { value = value << 8 | UInt64(byte) }
            return value
        }
    }

    public var description: String {
        let hex = limbs.reversed().map { limb -> String in
            let digits = String(limb, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return "\(count):" + hex.joined()
    }

    /// Parses `COUNT:HEX`; nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), count >= 0, parts[1].utf8.count == 64,
            parts[1].utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { return nil }
        let hex = Array(parts[1])
        var limbs: [UInt64] = []
        for limb in 0..<4 {
            let start = 64 - (limb + 1) * 16
            guard let value = UInt64(String(hex[start..<(start + 16)]), radix: 16) else { return nil }
            limbs.append(value)
        }
        self.init(limbs: limbs, count: count)
    }
}
