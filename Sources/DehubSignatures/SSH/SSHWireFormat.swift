/// Reading and writing the SSH wire encoding (RFC 4251 §5): `uint32`, `string` and `mpint`.
/// Every read is bounds-checked and throws `SSHWireError` instead of trapping.

/// A malformed SSH wire encoding. `message` is shown to users.
struct SSHWireError: Error, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// A cursor over SSH wire-encoded bytes.
struct SSHWireReader {
    private let bytes: [UInt8]
    private var offset: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { remaining == 0 }

    mutating func fixedBytes(_ count: Int, _ what: String) throws -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw SSHWireError("truncated \(what): needs \(count) bytes, \(remaining) left")
        }
        let out = Array(bytes[offset..<offset + count])
        offset += count
        return out
    }

    mutating func uint32(_ what: String) throws -> UInt32 {
        let b = try fixedBytes(4, what)
        return UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
    }

    /// A length-prefixed byte string.
    mutating func string(_ what: String) throws -> [UInt8] {
        let length = try uint32(what)
        guard Int(length) <= remaining else {
            throw SSHWireError("truncated \(what): length \(length) exceeds the \(remaining) bytes left")
        }
        return try fixedBytes(Int(length), what)
    }

    /// A length-prefixed string that must be printable ASCII (key types, namespaces, algorithm names).
    mutating func text(_ what: String) throws -> String {
        let raw = try string(what)
        guard raw.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else {
            throw SSHWireError("\(what) is not printable ASCII")
        }
        return String(decoding: raw, as: UTF8.self)
    }

    /// A non-negative `mpint` in minimal encoding, returned as its magnitude without leading zeros.
    mutating func positiveMPInt(_ what: String) throws -> [UInt8] {
        let raw = try string(what)
        guard let first = raw.first else { return [] }
        guard first & 0x80 == 0 else { throw SSHWireError("\(what) is negative") }
        if first == 0 {
            guard raw.count > 1, raw[1] & 0x80 != 0 else {
                throw SSHWireError("\(what) has a superfluous leading zero")
            }
            return Array(raw.dropFirst())
        }
        return raw
    }

    /// Fails unless every byte has been consumed.
    func expectEnd(_ what: String) throws {
        guard isAtEnd else { throw SSHWireError("\(remaining) trailing bytes after \(what)") }
    }
}

/// Builds SSH wire encodings.
struct SSHWireWriter {
    private(set) var bytes: [UInt8] = []

    mutating func raw(_ data: [UInt8]) { bytes += data }

    mutating func uint32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    mutating func string(_ data: [UInt8]) {
        uint32(UInt32(data.count))
        bytes += data
    }

    mutating func string(_ text: String) { string(Array(text.utf8)) }

    /// Encodes an unsigned big-endian magnitude as a minimal non-negative `mpint`.
    mutating func positiveMPInt(_ magnitude: [UInt8]) {
        let trimmed = Array(magnitude.drop(while: { $0 == 0 }))
        string(trimmed.first.map { $0 & 0x80 != 0 } == true ? [0] + trimmed : trimmed)
    }
}
