/// Signing and key export through gpgme (which drives the user's gpg and gpg-agent).
/// Each call makes its own context, set offline; `gnupgHome` nil means gpg's default home (`GNUPGHOME` or `~/.gnupg`).
public enum GPGMESigner {
    /// A binary detached OpenPGP signature (armour off, binary mode) of `message` by the secret key `key`
    /// (key id, fingerprint or user id). gpg picks the key's signing subkey when it has one.
    public static func sign(_ message: [UInt8], key: String, gnupgHome: String? = nil) throws -> [UInt8] {
        let context = try GPGMEContext(gnupgHome: gnupgHome)
        let signer = try signingKey(key, in: context)
        return try context.detachedSignature(of: message, by: signer)
    }

    /// The armoured public key (`-----BEGIN PGP PUBLIC KEY BLOCK-----`) matching `key`.
    public static func exportPublicKey(_ key: String, gnupgHome: String? = nil) throws -> String {
        let context = try GPGMEContext(gnupgHome: gnupgHome)
        let matches = try context.keys(matching: key, secretOnly: false)
        guard !matches.isEmpty else { throw GPGMEFailure("no public key for \(key) in gpg's keyring") }
        let fingerprints = Set(matches.map(\.fingerprint))
        guard fingerprints.count == 1, let fingerprint = fingerprints.first else {
            throw GPGMEFailure(
                "\(key) matches several keys (\(matches.map(\.keyID).joined(separator: ", "))): give a key id or fingerprint")
        }
        let armored = try context.exportArmored(fingerprint)
        guard !armored.isEmpty else { throw GPGMEFailure("no public key for \(key) in gpg's keyring") }
        return armored
    }

    /// Long key ids (16 upper-case hex digits) of the primary keys whose secret part gpg holds and that can sign
    /// now (not revoked, expired or disabled), in keyring order.
    public static func secretKeyIDs(gnupgHome: String? = nil) throws -> [String] {
        let context = try GPGMEContext(gnupgHome: gnupgHome)
        return try context.keys(matching: nil, secretOnly: true).filter(\.canSign).map(\.keyID)
    }

    private static func signingKey(_ key: String, in context: GPGMEContext) throws -> GPGMEKey {
        let matches = try context.keys(matching: key, secretOnly: true)
        let usable = matches.filter(\.canSign)
        guard let first = usable.first else {
            if let unusable = matches.first {
                throw GPGMEFailure(
                    "secret key \(unusable.keyID) cannot sign (it is revoked, expired, disabled or has no signing capability)")
            }
            throw GPGMEFailure("no secret key for \(key): import it into gpg or pass --anon-pgp-key")
        }
        guard Set(usable.map(\.fingerprint)).count == 1 else {
            throw GPGMEFailure(
                "\(key) matches several secret keys (\(usable.map(\.keyID).joined(separator: ", "))): give a key id or fingerprint"
            )
        }
        return first
    }
}
