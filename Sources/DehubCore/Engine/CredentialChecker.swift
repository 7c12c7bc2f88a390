/// Verifies a payload's credentials over the message they sign (its fingerprint, bound to the project when the
/// governing config says so: `SignedMessage`) against the keys of the accounts they name.
public struct CredentialChecker {
    let signatures: SignatureVerifying

    public init(signatures: SignatureVerifying) { self.signatures = signatures }

    public func check(_ credentials: [Credential], message: SignedMessage, governing: GoverningConfig) -> [CredentialResult] {
        credentials.enumerated().map { index, credential in
            let kind: String
            if case .pgp = credential { kind = "pgp" } else { kind = "ssh" }
            let outcome: CredentialResult.Outcome
            do {
                try verify(credential, message: message.bytes, governing: governing)
                outcome = .verified
            } catch let failure as SignatureFailure {
                outcome = .failed(failure.message)
            } catch {
                outcome = .failed("could not be checked: \(error)")
            }
            return CredentialResult(index: index, account: credential.account, kind: kind, outcome: outcome)
        }
    }

    private func verify(_ credential: Credential, message: [UInt8], governing: GoverningConfig) throws {
        switch credential {
        case .pgp(let c):
            let keys: [String]
            if let account = c.account {
                guard let material = governing.keys[account] else {
                    throw SignatureFailure("names account '\(account)', which the governing config does not define")
                }
                guard !material.pgp.isEmpty else {
                    throw SignatureFailure("account '\(account)' has no OpenPGP key in the governing config")
                }
                keys = material.pgp
            } else {
                guard let body = c.pubKeyBody else { throw SignatureFailure("anonymous credential without pub_key_body") }
                keys = [body]
            }
            let signer = try signatures.verifyOpenPGP(signature: c.signature, over: message, armoredKeys: keys)
            guard c.pubKeyID == signer.signingKeyID || c.pubKeyID == signer.primaryKeyID else {
                throw SignatureFailure(
                    "pub_key_id \(c.pubKeyID) does not match the key that made the signature (\(signer.signingKeyID))")
            }
        case .ssh(let c):
            guard let material = governing.keys[c.account] else {
                throw SignatureFailure("names account '\(c.account)', which the governing config does not define")
            }
            guard let claimed = SSHKeyLine(c.pubKey) else {
                throw SignatureFailure("pub_key is not an OpenSSH public key line")
            }
            guard material.ssh.contains(where: { SSHKeyLine($0) == claimed }) else {
                throw SignatureFailure(
                    "key \(claimed.abbreviated) is not one of account '\(c.account)''s keys in the governing config")
            }
            try signatures.verifySSH(signature: c.signature, over: message, publicKey: c.pubKey)
        }
    }
}

/// The identity of an OpenSSH public key line: its type and base64 blob, comment ignored.
struct SSHKeyLine: Equatable {
    let type: Substring
    let blob: Substring

    init?(_ line: String) {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count >= 2 else { return nil }
        type = parts[0]
        blob = parts[1]
    }

    var abbreviated: String { "\(type) \(blob.prefix(12))…" }
}
