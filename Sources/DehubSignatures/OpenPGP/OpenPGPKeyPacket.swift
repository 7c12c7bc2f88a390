import Crypto
import DehubCore

/// A v4 public key or public subkey packet (RFC 9580 §5.5.2), with its fingerprint and long key id.
struct OpenPGPKeyPacket: Sendable {
    var creationTime: UInt32
    var algorithm: UInt8
    var material: OpenPGPKeyMaterial
    /// The packet body as stored, which the fingerprint and the signatures over this key hash.
    var body: [UInt8]
    /// 20 bytes: SHA-1(0x99 ‖ len16 ‖ body).
    var fingerprint: [UInt8]

    /// 16 upper-case hex digits: the last 8 bytes of the fingerprint.
    var keyID: String { openPGPHex(fingerprint.suffix(8)) }
    /// 40 upper-case hex digits.
    var fingerprintHex: String { openPGPHex(fingerprint) }

    /// The bytes that precede this key in a signature hash: 0x99 ‖ len16 ‖ body.
    var hashPrefix: [UInt8] {
        [0x99, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    init(body: [UInt8]) throws {
        var reader = OpenPGPByteReader(body, context: "public key")
        let version = try reader.u8()
        guard version == 4 else {
            throw SignatureFailure("OpenPGP public key version \(version) is not supported (only version 4)")
        }
        guard body.count <= 0xFFFF else { throw SignatureFailure("malformed OpenPGP public key: key packet too large") }
        creationTime = try reader.u32()
        algorithm = try reader.u8()
        material = try OpenPGPKeyMaterial.read(algorithm: algorithm, from: &reader)
        self.body = body
        fingerprint = Array(Insecure.SHA1.hash(data: [0x99, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body))
    }
}
