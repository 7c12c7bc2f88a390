import Crypto
import Foundation

/// The host's Ed25519 key, kept as its 32 raw private bytes in `DATA/ssh_host_ed25519_key` (mode 0600),
/// with the public half in OpenSSH format beside it (`.pub`) for `known_hosts` and `ssh-keygen -l`.
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

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }
}
