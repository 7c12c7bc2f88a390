import Crypto
import Synchronization

/// Remembers every signature check it passes on, so that the same signature over the same bytes with the same
/// keys is checked once: a push that copies one credential onto thousands of commits costs one verification. The
/// key is a SHA-256 digest of everything the verdict depends on (kind, signature, message, keys), so a hit is the
/// same question, never a look-alike; failures are remembered too. Safe to share across threads; one per push.
/// Holds at most `capacity` verdicts (then stops remembering new ones).
public final class MemoizingSignatureVerifier: SignatureVerifying {
    private let base: SignatureVerifying
    private let capacity: Int
    private let verdicts = Mutex<[[UInt8]: Result<OpenPGPSigner?, SignatureFailure>]>([:])
    private let counts = Mutex<(checked: Int, remembered: Int)>((0, 0))

    public init(wrapping base: SignatureVerifying, capacity: Int = 1 << 16) {
        self.base = base
        self.capacity = capacity
    }

    /// How many checks reached the wrapped verifier, and how many were answered from memory.
    public var statistics: (checked: Int, remembered: Int) { counts.withLock { $0 } }

    public func verifyOpenPGP(signature: [UInt8], over message: [UInt8], armoredKeys: [String]) throws -> OpenPGPSigner {
        let key = Self.key("pgp", [signature, message] + armoredKeys.map { Array($0.utf8) })
        let result = try remembered(key) {
            try base.verifyOpenPGP(signature: signature, over: message, armoredKeys: armoredKeys)
        }
        guard let signer = result else { throw SignatureFailure("internal error: no signer for a verified signature") }
        return signer
    }

    public func verifySSH(signature: [UInt8], over message: [UInt8], publicKey: String) throws {
        let key = Self.key("ssh", [signature, message, Array(publicKey.utf8)])
        _ = try remembered(key) {
            try base.verifySSH(signature: signature, over: message, publicKey: publicKey)
            return nil
        }
    }

    public func openPGPKeyIDs(armoredKey: String) throws -> [String] {
        try base.openPGPKeyIDs(armoredKey: armoredKey)
    }

    /// The remembered verdict for `key`, else `check`'s (remembered when it is a verdict: a signature failure or
    /// a success; any other error is passed on and not remembered).
    private func remembered(_ key: [UInt8], _ check: () throws -> OpenPGPSigner?) throws -> OpenPGPSigner? {
        if let known = verdicts.withLock({ $0[key] }) {
            counts.withLock { $0.remembered += 1 }
            return try known.get()
        }
        counts.withLock { $0.checked += 1 }
        let result: Result<OpenPGPSigner?, SignatureFailure>
        do {
            result = .success(try check())
        } catch let failure as SignatureFailure {
            result = .failure(failure)
        }
        verdicts.withLock { if $0.count < capacity { $0[key] = result } }
        return try result.get()
    }

    /// SHA-256 over the kind and each part, every part prefixed with its length (so parts cannot run together).
    private static func key(_ kind: String, _ parts: [[UInt8]]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array(kind.utf8))
        for part in parts {
            withUnsafeBytes(of: UInt64(part.count).littleEndian) { hasher.update(bufferPointer: $0) }
            hasher.update(data: part)
        }
        return Array(hasher.finalize())
    }
}
