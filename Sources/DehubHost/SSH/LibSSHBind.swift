import CLibSSH
import Crypto
import Foundation
import Glibc
import Synchronization

/// libssh's `ssh_bind`: the host key and the algorithms, shared by every connection. Sessions are made here on
/// the accept thread (`ssh_bind_accept_fd`), one at a time.
final class LibSSHBind: @unchecked Sendable {
    private let bind: OpaquePointer
    private let lock = Mutex(())

    init(hostKey: Curve25519.Signing.PrivateKey, acceptedAlgorithms: String) throws {
        _ = Self.initialized
        guard let bind = ssh_bind_new() else { throw HostError(.io, "libssh: cannot make an ssh_bind") }
        self.bind = bind
        // No /etc/ssh/libssh_server_config: the host's settings are the whole story.
        guard dehub_ssh_bind_set_bool(bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, 0) == SSH_OK else {
            throw HostError(.io, "libssh: cannot turn off its server config file")
        }
        if let level = Self.logLevel { _ = dehub_ssh_bind_set_int(bind, SSH_BIND_OPTIONS_LOG_VERBOSITY, level) }
        let pem = HostKey.openSSHPrivateKey(of: hostKey)
        guard dehub_ssh_bind_import_host_key(bind, pem) == SSH_OK else {
            throw HostError(.config, "libssh cannot load the host key")
        }
        // AES-GCM only, as the swift-nio-ssh server had: OpenSSH clients prefer chacha20-poly1305 and the CTR modes
        // (with a separate MAC), both slower here than AES-GCM with AES-NI. Named also because libssh 0.10.6's
        // default list ends with a comma, which clients that rebuild the KEXINIT for the exchange hash instead of
        // hashing its bytes (swift-nio-ssh) get wrong.
        for option in [SSH_BIND_OPTIONS_CIPHERS_C_S, SSH_BIND_OPTIONS_CIPHERS_S_C] {
            guard dehub_ssh_bind_set_string(bind, option, Self.ciphers) == SSH_OK else {
                throw HostError(.io, "libssh refuses the ciphers \(Self.ciphers)")
            }
        }
        guard dehub_ssh_bind_set_string(bind, SSH_BIND_OPTIONS_PUBKEY_ACCEPTED_KEY_TYPES, acceptedAlgorithms) == SSH_OK
        else { throw HostError(.io, "libssh refuses the key algorithms \(acceptedAlgorithms)") }
    }

    static let ciphers = "aes128-gcm@openssh.com,aes256-gcm@openssh.com"

    /// `DEHUB_LIBSSH_LOG=1..4` (libssh's levels: warning, protocol, packet, functions) logs libssh itself on stderr.
    private static let logLevel = ProcessInfo.processInfo.environment["DEHUB_LIBSSH_LOG"].flatMap { Int32($0) }

    private static let initialized: Void = {
        _ = ssh_init()
        if let level = logLevel { ssh_set_log_level(level) }
    }()

    /// A server session on `fd` (which it then owns: it closes it with itself), or nil (`fd` is then closed).
    func accept(_ fd: Int32) -> OpaquePointer? {
        lock.withLock { _ in
            guard let session = ssh_new() else {
                Glibc.close(fd)
                return nil
            }
            guard ssh_bind_accept_fd(bind, session, fd) == SSH_OK else {
                ssh_free(session)
                return nil
            }
            return session
        }
    }

    deinit { ssh_bind_free(bind) }
}
