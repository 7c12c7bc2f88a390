import NIOConcurrencyHelpers
import NIOCore
import NIOSSH

/// The identity one SSH connection authenticated as, shared by its auth delegate and its sessions.
final class SSHConnectionIdentity: Sendable {
    private let value = NIOLockedValueBox<Identity?>(nil)

    var identity: Identity? { value.withLockedValue { $0 } }

    func set(_ identity: Identity) { value.withLockedValue { $0 = identity } }
}

/// Public-key auth (Ed25519, ECDSA; nio-ssh verifies the signature before this is called, and never
/// passes an unverified or unknown-type key), plus keyless login for the anonymous user name.
///
/// The OpenSSH client always tries "none" first, and accepting it ends authentication, so "none" is
/// accepted only for `anonymous_ssh_user`; any other user name must present a key. Every verified key is
/// accepted as an identity; what it may do is the access gate's decision.
final class SSHAuthDelegate: NIOSSHServerUserAuthenticationDelegate, Sendable {
    let connection: SSHConnectionIdentity
    let anonymousUser: String

    init(connection: SSHConnectionIdentity, anonymousUser: String) {
        self.connection = connection
        self.anonymousUser = anonymousUser
    }

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { .publicKey }

    func requestReceived(
        request: NIOSSHUserAuthenticationRequest, responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>
    ) {
        switch request.request {
        case .publicKey(let publicKey):
            guard let key = SSHKeyIdentity(openSSHLine: String(openSSHPublicKey: publicKey.publicKey)) else {
                responsePromise.succeed(.failure)
                return
            }
            connection.set(.key(key))
            responsePromise.succeed(.success)
        case .none where request.username == anonymousUser:
            connection.set(.anonymous)
            responsePromise.succeed(.success)
        default:
            responsePromise.succeed(.failure)
        }
    }
}
