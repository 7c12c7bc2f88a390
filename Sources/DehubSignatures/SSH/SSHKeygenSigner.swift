#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Signs with OpenSSH's `ssh-keygen -Y sign`, so that passphrases, hardware keys and ssh-agent work as users expect.
/// Every function returns the binary SSHSIG blob (armour removed). The message goes in on standard input.
public enum SSHKeygenSigner {
    /// Signs with `ssh-keygen -Y sign -n NAMESPACE -f keyFile`. `keyFile` is a private key file, or a public key
    /// file whose private half is in the ssh-agent at `SSH_AUTH_SOCK` (ssh-keygen then asks the agent).
    /// `environment` adds or (with nil) removes variables for ssh-keygen, e.g. `["SSH_AUTH_SOCK": path]`.
    public static func sign(
        _ message: [UInt8], keyFile: String, namespace: String = "dehub",
        environment: [String: String?] = [:], sshKeygen: String = "ssh-keygen"
    ) async throws -> [UInt8] {
        // The message goes in a file, not on stdin: ssh-keygen may exit before reading stdin (a missing key), and a
        // write to its closed pipe would kill dehub with SIGPIPE or trip swift-subprocess.
        try await withPrivateDirectory { directory in
            let files = FileManager.default
            let messageFile = directory + "/fingerprint"
            guard files.createFile(atPath: messageFile, contents: Data(message)) else {
                throw SSHSigningError("cannot write \(messageFile)")
            }
            let runner = SSHToolRunner(environment: environment)
            let output = try await runner.run(
                sshKeygen, ["-q", "-Y", "sign", "-n", namespace, "-f", keyFile, messageFile])
            guard output.exitCode == 0 else {
                let exit = output.exitCode.map { "exit status \($0)" } ?? "killed by a signal"
                throw SSHSigningError("ssh-keygen failed: \(output.stderrText.isEmpty ? exit : output.stderrText)")
            }
            guard let armored = files.contents(atPath: messageFile + ".sig") else {
                throw SSHSigningError("ssh-keygen wrote no signature file")
            }
            do {
                return try SSHSignatureArmor.dearmor(String(decoding: armored, as: UTF8.self))
            } catch {
                throw SSHSigningError("ssh-keygen wrote no SSH signature: \(error)")
            }
        }
    }

    /// Signs as `key`: through ssh-agent when the agent holds it, else with the private key file next to a matching
    /// `*.pub` in `sshDirectory` (usually `~/.ssh`). The result is checked against `key` before it is returned.
    public static func sign(
        _ message: [UInt8], as key: SSHPublicKey, sshDirectory: String, namespace: String = "dehub",
        environment: [String: String?] = [:], sshKeygen: String = "ssh-keygen", sshAdd: String = "ssh-add"
    ) async throws -> [UInt8] {
        let signature: [UInt8]
        if (try? await agentKeys(environment: environment, sshAdd: sshAdd))?.contains(key) == true {
            signature = try await withPublicKeyFile(key) { file in
                try await sign(
                    message, keyFile: file, namespace: namespace, environment: environment, sshKeygen: sshKeygen)
            }
        } else if let file = privateKeyFile(matching: key, in: sshDirectory) {
            signature = try await sign(
                message, keyFile: file, namespace: namespace, environment: environment, sshKeygen: sshKeygen)
        } else {
            throw SSHSigningError("no private key for \(key.fingerprint) in ssh-agent or in \(sshDirectory)")
        }
        do {
            try SSHSignatureVerifier().verify(signature: signature, over: message, publicKey: key, namespace: namespace)
        } catch {
            throw SSHSigningError("ssh-keygen made a signature that does not verify: \(error)")
        }
        return signature
    }

    /// The keys the ssh-agent holds (`ssh-add -L`); empty when the agent has none. Keys of types dehub does not
    /// support are skipped. Throws when no agent can be reached.
    public static func agentKeys(environment: [String: String?] = [:], sshAdd: String = "ssh-add") async throws
        -> [SSHPublicKey]
    {
        let output = try await SSHToolRunner(environment: environment).run(sshAdd, ["-L"])
        switch output.exitCode {
        case 0:
            return String(decoding: output.stdout, as: UTF8.self).split(whereSeparator: \.isNewline)
                .compactMap { try? SSHPublicKey(line: String($0)) }
        case 1:
            return []  // "The agent has no identities."
        default:
            throw SSHSigningError("ssh-add -L failed: \(output.stderrText)")
        }
    }

    /// The private key file whose `.pub` companion in `directory` holds `key`, if any (e.g. `~/.ssh/id_ed25519`).
    public static func privateKeyFile(matching key: SSHPublicKey, in directory: String) -> String? {
        let files = FileManager.default
        guard let names = try? files.contentsOfDirectory(atPath: directory) else { return nil }
        for name in names.sorted() where name.hasSuffix(".pub") && name.count > 4 {
            let publicPath = directory + "/" + name
            guard let data = files.contents(atPath: publicPath), data.count <= 64 * 1024,
                let candidate = try? SSHPublicKey(line: String(decoding: data, as: UTF8.self)),
                candidate == key
            else { continue }
            let privatePath = String(publicPath.dropLast(4))
            if files.isReadableFile(atPath: privatePath) { return privatePath }
        }
        return nil
    }

    /// Writes `key` to a `.pub` file in a fresh private temporary directory for the duration of `body`.
    private static func withPublicKeyFile<T>(_ key: SSHPublicKey, _ body: (String) async throws -> T) async throws -> T {
        try await withPrivateDirectory { directory in
            let path = directory + "/agent-key.pub"
            guard FileManager.default.createFile(atPath: path, contents: Data((key.line + "\n").utf8)) else {
                throw SSHSigningError("cannot write \(path)")
            }
            return try await body(path)
        }
    }

    /// A fresh directory only this user can read, removed afterwards.
    private static func withPrivateDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        let files = FileManager.default
        let directory = files.temporaryDirectory.appendingPathComponent("dehub-ssh-\(UInt64.random(in: 0...UInt64.max))")
        do {
            try files.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SSHSigningError("cannot create a temporary directory: \(error)")
        }
        defer { try? files.removeItem(at: directory) }
        return try await body(directory.path)
    }
}
