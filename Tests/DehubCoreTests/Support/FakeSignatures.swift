import DehubCore

/// Signature verification by convention, so that engine tests need no real keys (the real adapters are tested
/// in DehubSignaturesTests):
/// - an OpenPGP "armoured key" is `pgp:<PRIMARY-ID>` or `pgp:<PRIMARY-ID>:<SUBKEY-ID>`;
///   a signature is the UTF-8 of `sig:<SIGNING-KEY-ID>:<base64 of the signed bytes>`;
/// - an OpenSSH key line is `ssh-ed25519 <blob> [comment]`; a signature is `sshsig:<blob>:<base64 of the bytes>`.
struct FakeSignatures: SignatureVerifying {
    static func pgpSignature(keyID: String, over bytes: [UInt8]) -> [UInt8] {
        Array("sig:\(keyID):\(Base64.encode(bytes))".utf8)
    }

    static func sshSignature(blob: String, over bytes: [UInt8]) -> [UInt8] {
        Array("sshsig:\(blob):\(Base64.encode(bytes))".utf8)
    }

    func verifyOpenPGP(signature: [UInt8], over message: [UInt8], armoredKeys: [String]) throws -> OpenPGPSigner {
        let parts = String(decoding: signature, as: UTF8.self).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "sig" else { throw SignatureFailure("not an OpenPGP signature") }
        let signingID = String(parts[1])
        for key in armoredKeys {
            let ids = try openPGPKeyIDs(armoredKey: key)
            guard ids.contains(signingID) else { continue }
            guard parts[2] == Base64.encode(message) else { throw SignatureFailure("BAD signature from \(signingID)") }
            return OpenPGPSigner(signingKeyID: signingID, primaryKeyID: ids[0])
        }
        throw SignatureFailure("made by key \(signingID), which is not one of the given keys")
    }

    func verifySSH(signature: [UInt8], over message: [UInt8], publicKey: String) throws {
        let parts = String(decoding: signature, as: UTF8.self).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "sshsig" else { throw SignatureFailure("not an SSHSIG blob") }
        let keyParts = publicKey.split(separator: " ")
        guard keyParts.count >= 2, keyParts[1] == parts[1] else { throw SignatureFailure("SSHSIG made by another key") }
        guard parts[2] == Base64.encode(message) else { throw SignatureFailure("SSHSIG does not verify") }
    }

    func openPGPKeyIDs(armoredKey: String) throws -> [String] {
        let parts = armoredKey.split(separator: ":").map(String.init)
        guard parts.count >= 2, parts[0] == "pgp" else { throw SignatureFailure("not an OpenPGP key") }
        return Array(parts.dropFirst())
    }
}
