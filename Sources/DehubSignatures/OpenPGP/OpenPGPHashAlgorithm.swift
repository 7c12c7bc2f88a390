import Crypto
import DehubCore

/// The hash algorithms dehub accepts in OpenPGP signatures (RFC 9580 §9.5).
/// MD5, RIPEMD-160, SHA-224 and the SHA-3 family are refused.
enum OpenPGPHashAlgorithm: UInt8, Sendable {
    case sha1 = 2
    case sha256 = 8
    case sha384 = 9
    case sha512 = 10

    init(id: UInt8) throws {
        guard let algorithm = Self(rawValue: id) else {
            throw SignatureFailure(
                "signature uses hash algorithm \(Self.name(of: id)), which dehub does not accept (use SHA-256 or stronger)")
        }
        self = algorithm
    }

    var name: String { Self.name(of: rawValue) }

    static func name(of id: UInt8) -> String {
        switch id {
        case 1: "MD5"
        case 2: "SHA-1"
        case 3: "RIPEMD-160"
        case 8: "SHA-256"
        case 9: "SHA-384"
        case 10: "SHA-512"
        case 11: "SHA-224"
        case 12: "SHA3-256"
        case 14: "SHA3-512"
        default: "#\(id)"
        }
    }

    /// Hashes the parts in order.
    func digest(_ parts: [ArraySlice<UInt8>]) -> OpenPGPDigest {
        switch self {
        case .sha1: .sha1(Self.hash(Insecure.SHA1.self, parts))
        case .sha256: .sha256(Self.hash(SHA256.self, parts))
        case .sha384: .sha384(Self.hash(SHA384.self, parts))
        case .sha512: .sha512(Self.hash(SHA512.self, parts))
        }
    }

    private static func hash<H: HashFunction>(_: H.Type, _ parts: [ArraySlice<UInt8>]) -> H.Digest {
        var hasher = H()
        for part in parts { hasher.update(data: part) }
        return hasher.finalize()
    }
}

/// A digest that keeps its concrete type, because RSA PKCS#1 v1.5 verification needs to know it.
enum OpenPGPDigest {
    case sha1(Insecure.SHA1Digest)
    case sha256(SHA256Digest)
    case sha384(SHA384Digest)
    case sha512(SHA512Digest)

    var bytes: [UInt8] {
        switch self {
        case .sha1(let digest): Array(digest)
        case .sha256(let digest): Array(digest)
        case .sha384(let digest): Array(digest)
        case .sha512(let digest): Array(digest)
        }
    }
}
