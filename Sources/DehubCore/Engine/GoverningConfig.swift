/// A config together with the key material its signifiers name, read from one tree.
public struct GoverningConfig: Sendable {
    public var config: Config
    /// Per account: armoured OpenPGP keys and OpenSSH public key lines.
    public var keys: [String: AccountKeys]

    public struct AccountKeys: Sendable {
        public var pgp: [String] = []
        public var ssh: [String] = []
        public init(pgp: [String] = [], ssh: [String] = []) {
            self.pgp = pgp
            self.ssh = ssh
        }
    }
}

/// Loads the governing config of a tree, caching by the id of the tree's `.dehub` directory, so that a range of
/// commits that never touch it parses the config once. Not Sendable: its cache is unguarded, so each verifier (one
/// per worker thread) owns its own loader.
public final class ConfigLoader {
    public static let maxKeyFileBytes = 256 << 10
    private let repository: RepositoryReading
    private var cache: [ObjectID?: Result<GoverningConfig, ConfigError>] = [:]
    /// The last tree whose `.dehub` was looked up: in a history verified oldest first, a commit's own tree is its
    /// child's governing tree, looked up again right after.
    private var lastLookup: (tree: ObjectID, directory: ObjectID?)?

    public init(repository: RepositoryReading) {
        self.repository = repository
    }

    /// The config of `tree`; an empty config (no accounts: nothing verifies) when the tree has none.
    public func load(tree: ObjectID) throws -> Result<GoverningConfig, ConfigError> {
        try loadWithIdentity(tree: tree).result
    }

    /// The config of `tree` and its identity: the id of the tree's `.dehub` directory (nil when there is none),
    /// which holds the config and every key file it may name (§7.3).
    public func loadWithIdentity(tree: ObjectID) throws -> (directory: ObjectID?, result: Result<GoverningConfig, ConfigError>) {
        let dirID = try directory(ofTree: tree)
        if let cached = cache[dirID] { return (dirID, cached) }
        let result = try loadUncached(tree: tree)
        if cache.count > 64 { cache.removeAll() }
        cache[dirID] = result
        return (dirID, result)
    }

    /// The id of `tree`'s `.dehub` entry (the config's identity), nil when there is none; throws when the tree
    /// cannot be read.
    public func directory(ofTree tree: ObjectID) throws -> ObjectID? {
        if let lastLookup, lastLookup.tree == tree { return lastLookup.directory }
        let directory = try repository.entryID(at: ".dehub", inTree: tree)
        lastLookup = (tree, directory)
        return directory
    }

    private func loadUncached(tree: ObjectID) throws -> Result<GoverningConfig, ConfigError> {
        let found: [UInt8]?
        do {
            found = try repository.blob(at: Config.path, inTree: tree, limit: ConfigDecoder.maxBytes)
        } catch {
            return .failure(
                ConfigError("\(Config.path) could not be read (larger than \(ConfigDecoder.maxBytes) bytes?): \(error)"))
        }
        guard let bytes = found else {
            return .success(GoverningConfig(config: Config(), keys: [:]))
        }
        let config: Config
        do {
            config = try ConfigDecoder.decode(bytes)
        } catch {
            return .failure(error)
        }
        var keys: [String: GoverningConfig.AccountKeys] = [:]
        for account in config.accounts {
            var material = GoverningConfig.AccountKeys()
            for signifier in account.signifiers {
                switch signifier {
                case .pgpPublicKey(let body): material.pgp.append(body)
                case .sshPublicKey(let body): material.ssh.append(body)
                case .pgpPublicKeyFile(let path), .sshPublicKeyFile(let path):
                    let found: [UInt8]?
                    do {
                        found = try repository.blob(at: path, inTree: tree, limit: Self.maxKeyFileBytes)
                    } catch {
                        return .failure(
                            ConfigError(
                                "\(Config.path): key file '\(path)' of account '\(account.id)' could not be read (larger than \(Self.maxKeyFileBytes) bytes?): \(error)"
                            ))
                    }
                    guard let data = found else {
                        return .failure(
                            ConfigError(
                                "\(Config.path): account '\(account.id)' names key file '\(path)', which is not a file in the same tree"
                            ))
                    }
                    let text = String(decoding: data, as: UTF8.self)
                    if case .pgpPublicKeyFile = signifier {
                        material.pgp.append(text)
                    } else {
                        material.ssh.append(
                            contentsOf: text.split(whereSeparator: \.isNewline).map(String.init)
                                .filter { !$0.trimmingSpaces.isEmpty && !$0.hasPrefix("#") })
                    }
                }
            }
            keys[account.id] = material
        }
        return .success(GoverningConfig(config: config, keys: keys))
    }
}

extension String {
    var trimmingSpaces: Substring {
        let s = drop { $0 == " " || $0 == "\t" || $0 == "\r" }
        return s.dropLast(s.reversed().prefix { $0 == " " || $0 == "\t" || $0 == "\r" }.count)
    }
}
