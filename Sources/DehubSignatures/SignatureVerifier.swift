import DehubCore
import Synchronization

/// The engine's `SignatureVerifying` port: in-process OpenPGP and SSHSIG verification, with parsed keys cached
/// by their text so that a range of thousands of commits parses each key once. Safe to share across threads.
public final class SignatureVerifier: SignatureVerifying, Sendable {
    public static let shared = SignatureVerifier()

    private let openPGP = OpenPGPVerifier()
    private let ssh = SSHSignatureVerifier()
    private let pgpKeys = Mutex<[String: Result<[OpenPGPPublicKey], SignatureFailure>]>([:])
    private let sshKeys = Mutex<[String: Result<SSHPublicKey, SignatureFailure>]>([:])
    private static let cacheLimit = 1024

    public init() {}

    public func verifyOpenPGP(signature: [UInt8], over message: [UInt8], armoredKeys: [String]) throws -> OpenPGPSigner {
        var keys: [OpenPGPPublicKey] = []
        var problems: [String] = []
        for armored in armoredKeys {
            switch parsedPGP(armored) {
            case .success(let parsed): keys.append(contentsOf: parsed)
            case .failure(let failure): problems.append(failure.message)
            }
        }
        guard !keys.isEmpty else {
            throw SignatureFailure("no usable OpenPGP key: " + (problems.first ?? "none given"))
        }
        return try openPGP.verify(signature: signature, over: message, keys: keys)
    }

    public func verifySSH(signature: [UInt8], over message: [UInt8], publicKey: String) throws {
        let key = try parsedSSH(publicKey).get()
        try ssh.verify(signature: signature, over: message, publicKey: key)
    }

    public func openPGPKeyIDs(armoredKey: String) throws -> [String] {
        try parsedPGP(armoredKey).get().flatMap(\.allKeyIDs)
    }

    private func parsedPGP(_ armored: String) -> Result<[OpenPGPPublicKey], SignatureFailure> {
        if let hit = pgpKeys.withLock({ $0[armored] }) { return hit }
        let result: Result<[OpenPGPPublicKey], SignatureFailure>
        do {
            result = .success(try OpenPGPPublicKey.parseAll(armored: armored))
        } catch let failure as SignatureFailure {
            result = .failure(failure)
        } catch {
            result = .failure(SignatureFailure("unreadable OpenPGP key: \(error)"))
        }
        pgpKeys.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll() }
            cache[armored] = result
        }
        return result
    }

    private func parsedSSH(_ line: String) -> Result<SSHPublicKey, SignatureFailure> {
        if let hit = sshKeys.withLock({ $0[line] }) { return hit }
        let result: Result<SSHPublicKey, SignatureFailure>
        do {
            result = .success(try SSHPublicKey(line: line))
        } catch {
            result = .failure(SignatureFailure("unreadable SSH public key: \(error)"))
        }
        sshKeys.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll() }
            cache[line] = result
        }
        return result
    }
}
