import DehubCore
import DehubGit
import DehubSignatures

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Makes a credential over a signed message (a fingerprint, bound to the project when the governing config says so)
/// with the signer's key: an SSH key (a given file, ssh-agent or ~/.ssh) or an OpenPGP secret key in gpg's keyring;
/// checks it verifies under the governing config before it is used.
struct CredentialMaker {
    enum Signer {
        case account(String, sshKeyFile: String?)
        case anonymousPGP(keyID: String)
    }

    let repo: GitRepository

    /// `governs`: what the governing config is, for the message when the account is not in it.
    func make(
        _ signer: Signer, message: SignedMessage, governing: GoverningConfig,
        governs: String = "the config that governs this commit (\(Config.path) of its parent)"
    ) async throws -> Credential {
        switch signer {
        case .anonymousPGP(let keyID):
            return try anonymous(keyID: keyID, message: message.bytes)
        case .account(let account, let keyFile):
            guard governing.config.account(account) != nil else {
                let known = governing.config.accountIDs
                throw CLIError(
                    "account '\(account)' is not in \(governs)",
                    hint: known.isEmpty
                        ? "add the account and its key to \(Config.path) first"
                        : "known accounts: \(known.joined(separator: ", "))",
                    status: .dataError)
            }
            let keys = governing.keys[account] ?? .init()
            let credential = try await sign(account: account, keys: keys, keyFile: keyFile, message: message.bytes)
            let result = CredentialChecker(signatures: SignatureVerifier.shared)
                .check([credential], message: message, governing: governing)
            if case .failed(let why)? = result.first?.outcome {
                throw CLIError("the new credential does not verify: \(why)", status: .internalError)
            }
            return credential
        }
    }

    private func sign(
        account: String, keys: GoverningConfig.AccountKeys, keyFile: String?, message: [UInt8]
    ) async throws -> Credential {
        if let keyFile {
            guard !keys.ssh.isEmpty else {
                throw CLIError("account '\(account)' has no SSH key in \(Config.path)", status: .dataError)
            }
            let signature: [UInt8]
            do {
                signature = try await SSHKeygenSigner.sign(message, keyFile: keyFile)
            } catch {
                throw CLIError("could not sign with \(keyFile): \(error)", status: .unavailable)
            }
            for line in keys.ssh
            where (try? SignatureVerifier.shared.verifySSH(signature: signature, over: message, publicKey: line)) != nil {
                return .ssh(SSHCredential(pubKey: Self.keyOnly(line), signature: signature, account: account))
            }
            throw CLIError(
                "the key in \(keyFile) is not one of account '\(account)''s keys in \(Config.path)", status: .dataError)
        }
        var problems: [String] = []
        for line in keys.ssh {
            guard let key = try? SSHPublicKey(line: line) else { continue }
            do {
                let signature = try await SSHKeygenSigner.sign(message, as: key, sshDirectory: Self.sshDirectory)
                return .ssh(SSHCredential(pubKey: key.line, signature: signature, account: account))
            } catch {
                problems.append("\(error)")
            }
        }
        if !keys.pgp.isEmpty {
            do {
                if let credential = try pgp(account: account, armoredKeys: keys.pgp, message: message) { return credential }
                problems.append("no OpenPGP secret key of account '\(account)' in gpg's keyring")
            } catch {
                let text = "\(error)"
                problems.append(
                    "OpenPGP signing failed: \(text)"
                        + (text.contains("Unsupported protocol") ? " (is GnuPG installed? apt-get install gnupg)" : ""))
            }
        }
        throw CLIError(
            "no key of account '\(account)' is available to sign"
                + (problems.isEmpty ? "" : ": " + problems.joined(separator: "; ")),
            hint:
                "pass --sign-key FILE (an SSH private key), add the key to ssh-agent, or import the OpenPGP secret key into gpg",
            status: .unavailable)
    }

    private func pgp(account: String, armoredKeys: [String], message: [UInt8]) throws -> Credential? {
        let secret = Set(try GPGMESigner.secretKeyIDs())
        for armored in armoredKeys {
            let ids = (try? SignatureVerifier.shared.openPGPKeyIDs(armoredKey: armored)) ?? []
            guard let primary = ids.first, ids.contains(where: secret.contains) else { continue }
            let signature = try GPGMESigner.sign(message, key: primary)
            let signer = try SignatureVerifier.shared.verifyOpenPGP(signature: signature, over: message, armoredKeys: [armored])
            return .pgp(PGPCredential(pubKeyID: signer.signingKeyID, signature: signature, account: account))
        }
        return nil
    }

    private func anonymous(keyID: String, message: [UInt8]) throws -> Credential {
        do {
            let armored = try GPGMESigner.exportPublicKey(keyID)
            let signature = try GPGMESigner.sign(message, key: keyID)
            let signer = try SignatureVerifier.shared.verifyOpenPGP(signature: signature, over: message, armoredKeys: [armored])
            return .pgp(PGPCredential(pubKeyID: signer.signingKeyID, signature: signature, account: nil, pubKeyBody: armored))
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("could not sign with OpenPGP key \(keyID): \(error)", status: .unavailable)
        }
    }

    static var sshDirectory: String {
        (ProcessInfo.processInfo.environment["HOME"] ?? "/nonexistent") + "/.ssh"
    }

    static func keyOnly(_ line: String) -> String {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).prefix(2).joined(separator: " ")
    }
}
