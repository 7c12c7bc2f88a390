import Foundation

/// An OpenPGP key made once per test process (key generation is slow), kept as exported text so that each
/// scenario imports it into its own GNUPGHOME.
public struct PGPTestKey: Sendable {
    public var userID: String
    public var fingerprint: String
    /// The long key id (the last 16 hex digits of the fingerprint), upper-case.
    public var keyID: String
    public var publicArmored: String
    public var secretArmored: String
}

/// The OpenPGP keys the end-to-end tests share: one Ed25519 and one RSA-3072 signing key.
public final class PGPTestKeys: Sendable {
    public static let shared: PGPTestKeys = {
        do { return try PGPTestKeys() } catch { fatalError("cannot make OpenPGP test keys: \(error)") }
    }()

    public let ed25519: PGPTestKey
    public let rsa3072: PGPTestKey
    /// A second Ed25519 key that no config names.
    public let stranger: PGPTestKey

    private init() throws {
        let home = try GPGHome()  // released (agent stopped, directory removed) at the end of init
        func make(_ userID: String, _ algorithm: String) throws -> PGPTestKey {
            let fingerprint = try home.generateKey(userID, algorithm: algorithm)
            let secret = try home.gpg([
                "--pinentry-mode", "loopback", "--passphrase", "", "--armor", "--export-secret-keys", fingerprint,
            ]).stdoutText
            return PGPTestKey(
                userID: userID, fingerprint: fingerprint, keyID: String(fingerprint.suffix(16)).uppercased(),
                publicArmored: try home.exportPublicKey(fingerprint), secretArmored: secret)
        }
        ed25519 = try make("PGP Ed25519 <pgp-ed25519@dehub.test>", "ed25519")
        rsa3072 = try make("PGP RSA <pgp-rsa@dehub.test>", "rsa3072")
        stranger = try make("Stranger <stranger@dehub.test>", "ed25519")
    }
}

extension Scenario {
    /// Makes an SSH key pair `keys/NAME` and `keys/NAME.pub` (not in `~/.ssh`).
    public func sshKey(_ name: String, type: SSHTestKeyType = .ed25519) throws -> SSHTestKey {
        let file = keys + "/" + name
        let arguments: [String]
        switch type {
        case .ed25519: arguments = ["-t", "ed25519"]
        case .ecdsa256: arguments = ["-t", "ecdsa", "-b", "256"]
        case .ecdsa384: arguments = ["-t", "ecdsa", "-b", "384"]
        case .ecdsa521: arguments = ["-t", "ecdsa", "-b", "521"]
        case .rsa3072: arguments = ["-t", "rsa", "-b", "3072"]
        }
        let result = try run("ssh-keygen", ["-q"] + arguments + ["-N", "", "-C", "\(name)@dehub.test", "-f", file])
        guard result.succeeded else { throw CommandFailure(command: ["ssh-keygen"], result: result) }
        let line = try read(file + ".pub").trimmingCharacters(in: .whitespacesAndNewlines)
        return SSHTestKey(type: type, privateKeyPath: file, publicKeyPath: file + ".pub", publicKeyLine: line)
    }

    /// Copies a key pair into `~/.ssh` under `name` (e.g. `id_ed25519`), where dehub looks for account keys.
    public func installInHome(_ key: SSHTestKey, as name: String) throws {
        let target = home + "/.ssh/" + name
        let files = FileManager.default
        try? files.removeItem(atPath: target)
        try? files.removeItem(atPath: target + ".pub")
        try files.copyItem(atPath: key.privateKeyPath, toPath: target)
        try files.copyItem(atPath: key.publicKeyPath, toPath: target + ".pub")
        chmod(target, 0o600)
    }

    /// Starts an ssh-agent for this scenario (stopped with it) and points `SSH_AUTH_SOCK` at it.
    public func startAgent() throws {
        let socket = directory.appending("agent.sock")
        let output = try run("ssh-agent", ["-s", "-a", socket])
        guard output.succeeded, let range = output.stdoutText.range(of: "SSH_AGENT_PID="),
            let pid = pid_t(output.stdoutText[range.upperBound...].prefix(while: \.isNumber))
        else { throw CommandFailure(command: ["ssh-agent"], result: output) }
        agentPIDs.append(pid)
        environment["SSH_AUTH_SOCK"] = socket
    }

    /// `ssh-add KEY` into this scenario's agent.
    public func addToAgent(_ key: SSHTestKey) throws {
        let result = try run("ssh-add", ["-q", key.privateKeyPath])
        guard result.succeeded else { throw CommandFailure(command: ["ssh-add"], result: result) }
    }

    /// Imports an OpenPGP secret key into this scenario's GNUPGHOME.
    public func importSecretKey(_ key: PGPTestKey) throws {
        let result = try run(
            "gpg", ["--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "", "--import"],
            stdin: Array(key.secretArmored.utf8))
        guard result.succeeded else { throw CommandFailure(command: ["gpg", "--import"], result: result) }
    }
}
