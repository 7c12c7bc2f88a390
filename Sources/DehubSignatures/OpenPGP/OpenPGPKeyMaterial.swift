import Crypto
import DehubCore
import _CryptoExtras

/// The public key material of one key, ready to verify signatures (built once, when the key is parsed).
enum OpenPGPKeyMaterial: Sendable {
    case rsa(_RSA.Signing.PublicKey, bits: Int)
    /// EdDSA: legacy algorithm 22 on Ed25519, or RFC 9580 algorithm 27.
    case ed25519(Curve25519.Signing.PublicKey)
    /// A key dehub cannot verify with; the reason says why ("RSA key of 1024 bits", "ECDH").
    case unusable(reason: String)

    static let minimumRSABits = 2048
    /// 1.3.6.1.4.1.11591.15.1, the curve OID of legacy EdDSA keys on Ed25519.
    static let ed25519LegacyOID: [UInt8] = [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01]

    static func read(algorithm: UInt8, from reader: inout OpenPGPByteReader) throws -> OpenPGPKeyMaterial {
        switch algorithm {
        case 1, 2, 3:
            let n = stripped(try reader.mpi()), e = stripped(try reader.mpi())
            try reader.expectEnd()
            guard algorithm != 2 else { return .unusable(reason: "RSA encrypt-only key") }
            return rsa(n: n, e: e)
        case 22:
            let oidLength = Int(try reader.u8())
            guard oidLength != 0, oidLength != 0xFF else {
                throw SignatureFailure("malformed OpenPGP public key: reserved curve OID length")
            }
            let oid = try reader.bytes(oidLength)
            let point = try reader.mpi()
            try reader.expectEnd()
            guard oid == ed25519LegacyOID else { return .unusable(reason: "EdDSA key on an unsupported curve") }
            guard point.count == 33, point[0] == 0x40 else {
                throw SignatureFailure("malformed OpenPGP public key: Ed25519 point is not 0x40 followed by 32 bytes")
            }
            return try ed25519(Array(point.dropFirst()))
        case 27:
            let raw = try reader.bytes(32)
            try reader.expectEnd()
            return try ed25519(raw)
        default:
            // The fingerprint covers the whole body, so keys of other algorithms still get ids.
            return .unusable(reason: "\(OpenPGPPublicKeyAlgorithm.name(of: algorithm)) key")
        }
    }

    private static func rsa(n: [UInt8], e: [UInt8]) -> OpenPGPKeyMaterial {
        let bits = n.first.map { n.count * 8 - $0.leadingZeroBitCount } ?? 0
        guard bits >= minimumRSABits else {
            return .unusable(reason: "RSA key of \(bits) bits (dehub requires at least \(minimumRSABits))")
        }
        guard let key = try? _RSA.Signing.PublicKey(n: n, e: e) else {
            return .unusable(reason: "RSA key with invalid parameters")
        }
        return .rsa(key, bits: bits)
    }

    private static func ed25519(_ raw: [UInt8]) throws -> OpenPGPKeyMaterial {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw SignatureFailure("malformed OpenPGP public key: invalid Ed25519 point")
        }
        return .ed25519(key)
    }

    private static func stripped(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.drop(while: { $0 == 0 }))
    }
}

/// Names of public-key algorithms (RFC 9580 §9.1), for messages.
enum OpenPGPPublicKeyAlgorithm {
    static func name(of id: UInt8) -> String {
        switch id {
        case 1: "RSA"
        case 2: "RSA encrypt-only"
        case 3: "RSA sign-only"
        case 16: "ElGamal"
        case 17: "DSA"
        case 18: "ECDH"
        case 19: "ECDSA"
        case 22: "EdDSA"
        case 25: "X25519"
        case 26: "X448"
        case 27: "Ed25519"
        case 28: "Ed448"
        default: "algorithm #\(id)"
        }
    }
}
