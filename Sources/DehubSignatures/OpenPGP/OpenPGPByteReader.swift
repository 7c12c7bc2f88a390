import DehubCore

/// A bounds-checked cursor over bytes. Every read checks the remaining length and throws
/// `SignatureFailure` instead of trapping, so truncated or hostile input can never crash a parser.
struct OpenPGPByteReader {
    private let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int
    /// What is being read, for error messages ("signature", "public key").
    let context: String

    init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.offset = 0
        self.end = bytes.count
        self.context = context
    }

    var remaining: Int { end - offset }
    var isAtEnd: Bool { offset >= end }

    mutating func u8() throws -> UInt8 {
        guard remaining >= 1 else { throw truncated() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws -> Int {
        let a = try u8(), b = try u8()
        return Int(a) << 8 | Int(b)
    }

    mutating func u32() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 { value = value << 8 | UInt32(try u8()) }
        return value
    }

    mutating func bytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, remaining >= count else { throw truncated() }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func rest() -> [UInt8] {
        defer { offset = end }
        return Array(bytes[offset..<end])
    }

    /// An OpenPGP multiprecision integer: a 16-bit bit count, then the big-endian value.
    /// Returns the value bytes as stored (leading zero bytes are not expected but tolerated).
    mutating func mpi() throws -> [UInt8] {
        let bits = try u16()
        return try bytes((bits + 7) / 8)
    }

    func expectEnd() throws {
        guard isAtEnd else {
            throw SignatureFailure("malformed OpenPGP \(context): \(remaining) unexpected trailing bytes")
        }
    }

    func truncated() -> SignatureFailure {
        SignatureFailure("malformed OpenPGP \(context): data ends too early")
    }
}
