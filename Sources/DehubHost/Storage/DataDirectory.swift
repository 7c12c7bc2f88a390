import Foundation

/// The layout of the host's data directory:
///
///     DATA/host-config.yml            settings (documented defaults written at first start)
///     DATA/ssh_host_ed25519_key       host key, 32 raw bytes, mode 0600 (+ .pub in OpenSSH format)
///     DATA/admins                     admin keys, authorized_keys format
///     DATA/tokens                     HTTP tokens, stored as SHA-256 hashes, mode 0600
///     DATA/bin/dehub                  the shared copy of the dehub hook binary
///     DATA/repos/NAME.git             bare repositories (NAME may be nested: team/project)
public struct DataDirectory: Sendable {
    public let root: String

    public init(_ path: String) {
        self.root = FileIO.absolute(path)
    }

    public var configFile: String { root + "/host-config.yml" }
    public var hostKeyFile: String { root + "/ssh_host_ed25519_key" }
    public var adminsFile: String { root + "/admins" }
    public var tokensFile: String { root + "/tokens" }
    public var binDirectory: String { root + "/bin" }
    public var hookBinary: String { root + "/bin/dehub" }
    public var reposDirectory: String { root + "/repos" }

    public var isInitialized: Bool { FileIO.exists(configFile) }

    /// Creates what is missing: directories, the config with its defaults, the admins file
    /// (with `adminKey` when given). Existing files are left as they are, except that an admin key
    /// given again is appended when new. Returns what it did, for the start-up message.
    @discardableResult
    public func prepare(adminKey: SSHKeyIdentity? = nil, adminComment: String = "") throws -> [String] {
        var done: [String] = []
        if !FileIO.isDirectory(root) {
            try FileIO.makeDirectory(root, mode: 0o750)
            done.append("created \(root)")
        }
        try FileIO.makeDirectory(reposDirectory)
        try FileIO.makeDirectory(binDirectory)
        if !FileIO.exists(configFile) {
            try FileIO.writeAtomically(HostConfig.defaultFileText, to: configFile, mode: 0o644)
            done.append("wrote \(configFile) with the default settings")
        }
        if !FileIO.exists(adminsFile) {
            try FileIO.writeAtomically("# dehub-host admins: one OpenSSH public key per line.\n", to: adminsFile, mode: 0o644)
        }
        if let adminKey {
            let existing = AuthorizedKeysFile.load(adminsFile)
            if !existing.contains(adminKey) {
                var text = try FileIO.readText(adminsFile)
                if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
                text += adminKey.openSSHLine + (adminComment.isEmpty ? "" : " " + adminComment) + "\n"
                try FileIO.writeAtomically(text, to: adminsFile, mode: 0o644)
                done.append("added admin key \(adminKey.fingerprint)")
            }
        }
        return done
    }

    public func loadConfig() throws -> HostConfig {
        guard FileIO.exists(configFile) else { return HostConfig() }
        switch HostConfig.parse(try FileIO.readText(configFile)) {
        case .success(let config): return config
        case .failure(let error): throw HostError(.config, "\(configFile): \(error.message)")
        }
    }

    public func admins() -> [SSHKeyIdentity] { AuthorizedKeysFile.load(adminsFile) }
}
