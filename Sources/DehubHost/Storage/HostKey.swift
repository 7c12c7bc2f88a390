import Crypto
import Foundation

/// The host's Ed25519 key, kept as its 32 raw private bytes in `DATA/ssh_host_ed25519_key` (mode 0600),
/// with the public half in OpenSSH format beside it (`.pub`) for `known_hosts` and `ssh-keygen -l`.
/// The SSH server (libssh) is handed the same key in OpenSSH's private-key format, in memory only
/// (`openSSHPrivateKey`), so clients see the host key they saw before.
public enum HostKey {
    public static func loadOrCreate(at path: String) throws -> Curve25519.Signing.PrivateKey {
        if FileIO.exists(path) {
            let data = try FileIO.read(path)
            guard data.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: data) else {
                throw HostError(
                    .config, "the host key \(path) is not a raw 32-byte Ed25519 key",
                    hint: "move it away to let dehub-host make a new one (clients will see a new host key)")
            }
            return key
        }
        let key = Curve25519.Signing.PrivateKey()
        try FileIO.writeAtomically(key.rawRepresentation, to: path, mode: 0o600)
        try FileIO.writeAtomically(publicIdentity(of: key).openSSHLine + " dehub-host\n", to: path + ".pub", mode: 0o644)
        return key
    }

    /// The public key as an SSH identity (`ssh-ed25519` blob).
    public static func publicIdentity(of key: Curve25519.Signing.PrivateKey) -> SSHKeyIdentity {
        let name = Array("ssh-ed25519".utf8)
        let raw = [UInt8](key.publicKey.rawRepresentation)
        var blob: [UInt8] = []
        blob += bigEndian(UInt32(name.count)) + name
        blob += bigEndian(UInt32(raw.count)) + raw
        return SSHKeyIdentity(algorithm: "ssh-ed25519", blob: blob)
    }

    /// The key in OpenSSH's private-key format (`-----BEGIN OPENSSH PRIVATE KEY-----`, unencrypted), as
    /// `ssh-keygen` writes it and libssh reads it.
    public static func openSSHPrivateKey(of key: Curve25519.Signing.PrivateKey) -> String {
        func string(_ bytes: [UInt8]) -> [UInt8] { bigEndian(UInt32(bytes.count)) + bytes }
        let publicRaw = [UInt8](key.publicKey.rawRepresentation)
        let check = bigEndian(UInt32.random(in: 0...UInt32.max))
        var secret = check + check
        secret += string(Array("ssh-ed25519".utf8)) + string(publicRaw)
        secret += string([UInt8](key.rawRepresentation) + publicRaw) + string(Array("dehub-host".utf8))
        var pad: UInt8 = 1
        while secret.count % 8 != 0 {
            secret.append(pad)
            pad += 1
        }
        var body = Array("openssh-key-v1".utf8) + [0]
        body += string(Array("none".utf8)) + string(Array("none".utf8)) + string([]) + bigEndian(1)
        body += string(publicIdentity(of: key).blob) + string(secret)
        let base64 = Data(body).base64EncodedString()
        var lines: [Substring] = []
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(rest.prefix(70))
            rest = rest.dropFirst(70)
        }
        return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + lines.joined(separator: "\n")
            + "\n-----END OPENSSH PRIVATE KEY-----\n"
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }
}
