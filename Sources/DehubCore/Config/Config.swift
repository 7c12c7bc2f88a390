/// `.dehub/config.yml` (format §7): accounts with their keys, ordered access controls, and whether credentials
/// are bound to the project (§6.7).
public struct Config: Equatable, Sendable {
    public var accounts: [Account]
    public var accessControls: [AccessControl]
    /// `bind_credentials: true`: the credentials of every commit this config governs sign the bound message
    /// (`SignedMessage`) instead of the bare fingerprint. False (absent) is format v0.
    public var bindCredentials: Bool

    public init(accounts: [Account] = [], accessControls: [AccessControl] = [], bindCredentials: Bool = false) {
        self.accounts = accounts
        self.accessControls = accessControls
        self.bindCredentials = bindCredentials
    }

    /// The path of the config in a repository's tree.
    public static let path = ".dehub/config.yml"

    public func account(_ id: String) -> Account? { accounts.first { $0.id == id } }
    public var accountIDs: [String] { accounts.map(\.id) }
}

public struct Account: Equatable, Sendable {
    public var id: String
    public var signifiers: [Signifier]

    public init(id: String, signifiers: [Signifier]) {
        self.id = id
        self.signifiers = signifiers
    }
}

/// A key an account signs with, inline or in a file of the same tree.
public enum Signifier: Equatable, Sendable {
    case pgpPublicKey(body: String)
    case pgpPublicKeyFile(path: String)
    case sshPublicKey(body: String)
    case sshPublicKeyFile(path: String)

    public var filePath: String? {
        switch self {
        case .pgpPublicKeyFile(let p), .sshPublicKeyFile(let p): return p
        default: return nil
        }
    }
}

public enum AccessAction: String, Sendable {
    case allow, deny
}

public struct AccessControl: Equatable, Sendable {
    public var action: AccessAction
    public var filters: [Filter]

    public init(action: AccessAction, filters: [Filter]) {
        self.action = action
        self.filters = filters
    }
}

public indirect enum Filter: Equatable, Sendable {
    case branch(Glob)
    /// The name of the release tag being pushed (format §7.5, §13); never matches a commit.
    case tag(Glob)
    case filesChanged(Glob)
    case payloadType(PayloadType)
    case signature(SignatureRequirement)
    case commitAttributes(nonFastForward: Bool)
    case not(Filter)
}

/// How many distinct accounts, from which set, must have verified credentials on a commit.
public struct SignatureRequirement: Equatable, Sendable {
    public enum Accounts: Equatable, Sendable {
        case listed([String])
        case any
    }
    public enum Count: Equatable, Sendable {
        case number(Int)
        /// A percentage of the listed accounts, rounded up.
        case percent(Int)
    }

    public var accounts: Accounts
    public var count: Count

    public init(accounts: Accounts, count: Count = .number(1)) {
        self.accounts = accounts
        self.count = count
    }

    /// The accounts whose credentials count, given the config's accounts.
    public func countingAccounts(in config: Config) -> [String] {
        switch accounts {
        case .listed(let ids): return ids
        case .any: return config.accountIDs
        }
    }

    /// The number of distinct counting accounts required.
    public func requiredCount(in config: Config) -> Int {
        switch count {
        case .number(let n): return n
        case .percent(let p):
            let total = countingAccounts(in: config).count
            return (total * p + 99) / 100
        }
    }
}

extension AccessControl {
    /// True when the entry speaks of tags (format §13.3): one of its own filters (not one under `not`) is a `tag`
    /// filter or `payload_type: tag`. Only such entries judge a tag, so a config written before tags existed can
    /// never allow one by accident.
    public var speaksOfTags: Bool {
        filters.contains { filter in
            switch filter {
            case .tag, .payloadType(.tag): return true
            default: return false
            }
        }
    }
}
