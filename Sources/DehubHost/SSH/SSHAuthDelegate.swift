import Logging
import NIOCore
import NIOSSH

/// Public-key auth (Ed25519, ECDSA; nio-ssh verifies the signature before this is called, never passes an
/// unverified or unknown-type key, and answers the client's unsigned "would you take this key?" probe itself),
/// plus keyless login for the anonymous user name.
///
/// Known keys win: for any user name but `anonymous_ssh_user`, a verified key is accepted only when the host
/// knows it (`KnownKeys`: an admin's, a token's, a reader's or member's of some repository). Any other key is
/// answered with a failure, as OpenSSH answers a key missing from `authorized_keys`, so the client offers its
/// next key: with [a personal key, the admin key] in an agent, the connection logs in as the admin. A client
/// whose keys are all unknown sees "Permission denied (publickey)"; strangers use `anonymous@` (or HTTP).
///
/// The OpenSSH client always tries "none" first, and accepting it ends authentication, so "none" is accepted
/// only for `anonymous_ssh_user`.
final class SSHAuthDelegate: NIOSSHServerUserAuthenticationDelegate, Sendable {
    let connection: SSHConnection
    let anonymousUser: String
    let knownKeys: KnownKeys
    let logger: Logger

    init(connection: SSHConnection, anonymousUser: String, knownKeys: KnownKeys, logger: Logger) {
        self.connection = connection
        self.anonymousUser = anonymousUser
        self.knownKeys = knownKeys
        self.logger = logger
    }

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { .publicKey }

    func requestReceived(
        request: NIOSSHUserAuthenticationRequest, responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>
    ) {
        if request.username == anonymousUser {
            // Keyless, or a key offered to the anonymous user: either way the connection is anonymous.
            connection.authenticated(.anonymous)
            responsePromise.succeed(.success)
            return
        }
        guard case .publicKey(let publicKey) = request.request,
            let key = SSHKeyIdentity(openSSHLine: String(openSSHPublicKey: publicKey.publicKey))
        else {
            responsePromise.succeed(.failure)
            return
        }
        let connection = self.connection
        let knownKeys = self.knownKeys
        let logger = self.logger
        Task {
            if await knownKeys.contains(key) {
                connection.authenticated(.key(key))
                responsePromise.succeed(.success)
            } else {
                logger.info(
                    "ssh key refused: not known to this host",
                    metadata: [
                        "key": "\(key)", "source": "\(connection.source)",
                    ])
                responsePromise.succeed(.failure)
            }
        }
    }
}
