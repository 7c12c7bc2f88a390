import CLibSSH
import Foundation
import Logging

/// Who may log in to the embedded SSH server, and what a refused client is told.
///
/// - The anonymous user name (`anonymous_ssh_user`) gets in with any method: keyless, or with whatever key.
/// - Any other name needs a key the host knows (`KnownKeys`: an admin's, a token's, a reader's or member's of some
///   repository) whose signature verified. An unknown key is refused during authentication, as OpenSSH refuses a key
///   missing from `authorized_keys`, so the client offers its next one: with [a personal key, the admin key] in an
///   agent, the connection logs in as the admin. The identity is the key whose signature libssh verified, never a
///   key only offered: an offer ("would you take this key?") is answered, nothing more.
/// - RSA keys sign with `rsa-sha2-256`/`rsa-sha2-512`; a SHA-1 `ssh-rsa` offer is refused with a banner saying why.
/// - A refused key, and a client that has no key to offer (keyboard-interactive, which the OpenSSH client tries
///   after its keys), are told which keys work and how to get added, instead of a bare "Permission denied".
struct SSHLogin: Sendable {
    let anonymousUser: String
    let knownKeys: KnownKeys
    let logger: Logger

    /// Failed authentication requests a connection may make (like OpenSSH's MaxAuthTries, but roomier: enough for
    /// an agent with many keys, not for a key-guessing run).
    static let maxFailures = 20

    /// Key algorithms whose signatures libssh verifies, as the server announces them (`server-sig-algs`). `ssh-rsa`
    /// (SHA-1) is listed only when the request's signature algorithm can be read (`SSHLogin.canReadSignatureAlgorithm`),
    /// so that a client limited to SHA-1 sends its offer and is told why it is refused; the refusal is then made here.
    /// Without it, such a client gives up by itself ("no mutual signature algorithm").
    static var acceptedAlgorithms: String {
        canReadSignatureAlgorithm ? baseAlgorithms + ",ssh-rsa" : baseAlgorithms
    }

    static let canReadSignatureAlgorithm = dehub_ssh_sigtype_readable() != 0

    private static let baseAlgorithms = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "rsa-sha2-512", "rsa-sha2-256",
    ].joined(separator: ",")

    static let keysThatWork = """
        Keys that work here: Ed25519, ECDSA (P-256, P-384, P-521), RSA (signing with rsa-sha2-256 or rsa-sha2-512, \
        as OpenSSH 7.2 and later do) and security keys (sk-ssh-ed25519, sk-ecdsa-sha2-nistp256).
        """

    static func howToGetIn(anonymousUser: String) -> String {
        """
        To log in, make a key (`ssh-keygen -t ed25519`) and ask an admin of this host to add your .pub line \
        (as an admin, or as a reader or member of a repository). Public repositories can be read without a key \
        as \(anonymousUser)@ (e.g. git clone ssh://\(anonymousUser)@HOST:PORT/NAME.git) or over HTTP.
        """
    }

    /// The keyboard-interactive instruction for `git@` (or another name) without an acceptable key.
    func noKeyMessage(user: String) -> String {
        "dehub-host: you are logging in as \"\(user)\" without a key this host knows.\n" + Self.keysThatWork + "\n"
            + Self.howToGetIn(anonymousUser: anonymousUser) + "\n"
    }

    /// The banner for a key the host does not know.
    func unknownKeyMessage(_ key: SSHKeyIdentity) -> String {
        "dehub-host: this host does not know the key \(key.fingerprint) (\(key.algorithm)).\n"
            + Self.howToGetIn(anonymousUser: anonymousUser) + "\n"
    }

    /// The banner for a key type the server cannot verify (e.g. a certificate).
    func unsupportedKeyMessage(_ algorithm: String) -> String {
        "dehub-host: keys of type \(algorithm) are not accepted by this host.\n" + Self.keysThatWork + "\n"
    }

    static let sha1Message = """
        dehub-host: your SSH client signs with SHA-1 (ssh-rsa), which this host refuses.
        RSA keys work with rsa-sha2-256 or rsa-sha2-512 signatures: use OpenSSH 7.2 or later, and remove \
        `PubkeyAcceptedAlgorithms ssh-rsa` (or `PubkeyAcceptedKeyTypes`) from your ssh configuration; \
        or use an Ed25519 key (`ssh-keygen -t ed25519`).

        """

    enum KeyVerdict: Equatable {
        /// Known: answer the offer / accept the verified signature.
        case known
        /// Refuse, after telling the client this (once per connection and kind).
        case refused(banner: String)
    }

    /// What to answer a public-key request of `user` with `key` (nil: a key type dehub does not read) whose request
    /// names the signature algorithm `signatureAlgorithm` (nil: unknown).
    func judge(user: String, key: SSHKeyIdentity?, keyAlgorithm: String, signatureAlgorithm: String?, source: String)
        async -> KeyVerdict
    {
        if let verdict = quickJudge(key: key, keyAlgorithm: keyAlgorithm, signatureAlgorithm: signatureAlgorithm, source: source)
        {
            return verdict
        }
        guard let key else { return .refused(banner: unsupportedKeyMessage(keyAlgorithm)) }
        if await knownKeys.isMember(key) { return .known }
        logger.info("ssh key refused: not known to this host", metadata: ["key": "\(key)", "source": "\(source)"])
        return .refused(banner: unknownKeyMessage(key))
    }

    /// The verdict when the files alone can give it (a refused signature algorithm or key type; an admin's, a
    /// token's or a reader's key), so that the connection's thread answers without waiting on a task; nil when only
    /// the members' keys can tell (`judge` then looks them up).
    func quickJudge(key: SSHKeyIdentity?, keyAlgorithm: String, signatureAlgorithm: String?, source: String) -> KeyVerdict? {
        // An RSA request whose algorithm cannot be read may be SHA-1 when ssh-rsa is announced: refused (fail closed).
        let sha1 =
            signatureAlgorithm == "ssh-rsa"
            || (keyAlgorithm == "ssh-rsa" && signatureAlgorithm == nil && Self.canReadSignatureAlgorithm)
        if sha1 {
            logger.info("ssh key refused: SHA-1 ssh-rsa signature", metadata: ["source": "\(source)"])
            return .refused(banner: Self.sha1Message)
        }
        guard let key else {
            logger.info("ssh key refused: unsupported type", metadata: ["type": "\(keyAlgorithm)", "source": "\(source)"])
            return .refused(banner: unsupportedKeyMessage(keyAlgorithm))
        }
        return knownKeys.containsWithoutGit(key) ? .known : nil
    }
}
