/// The bytes a credential signs (format §6.1, §6.7). Without binding (a v0 config) they are the 33 fingerprint
/// bytes; when the governing config has `bind_credentials: true` they are
/// `"dehub bound credential v1\0" ++ project id (20 bytes) ++ fingerprint (33 bytes)`, so that a credential made
/// for one project never verifies in another.
public struct SignedMessage: Equatable, Sendable {
    /// What the signature is bound to, for messages and tests.
    public enum Binding: Equatable, Sendable {
        /// Format v0: the fingerprint alone.
        case none
        /// Bound to a project (the root commit of its history).
        case project(ProjectID)
    }

    /// The domain separator that opens a bound message: 26 bytes, the last one 0x00. An unbound message starts with
    /// the fingerprint's version byte 0x00 and is 33 bytes long, so the two forms can never be mistaken for each
    /// other.
    public static let boundPrefix: [UInt8] = Array("dehub bound credential v1".utf8) + [0]

    public let fingerprint: Fingerprint
    public let binding: Binding
    public let bytes: [UInt8]

    /// The bytes in lower-case hex (`dehub fingerprint --signed-message`).
    public var hex: String { Hex.encode(bytes) }

    public init(fingerprint: Fingerprint, binding: Binding) {
        self.fingerprint = fingerprint
        self.binding = binding
        switch binding {
        case .none: bytes = fingerprint.bytes
        case .project(let project): bytes = Self.boundPrefix + project.bytes + fingerprint.bytes
        }
    }

    /// What credentials sign on a commit governed by `config`: bound to `project()` when the config has
    /// `bind_credentials: true` (`project` is only asked then), the fingerprint alone otherwise.
    public static func governed(
        by config: Config, fingerprint: Fingerprint, project: () throws -> ProjectID
    ) rethrows -> SignedMessage {
        config.bindCredentials
            ? SignedMessage(fingerprint: fingerprint, binding: .project(try project()))
            : SignedMessage(fingerprint: fingerprint, binding: .none)
    }
}

/// The project a bound credential names (format §6.7): the 20 raw bytes of the root commit of the history the
/// commit belongs to. A root commit cannot name its own id, so it binds to twenty zero bytes.
public struct ProjectID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// The project id of a root commit: twenty zero bytes.
    public static let rootCommit = ProjectID(root: .zero)

    /// The project whose root commit is `root`.
    public init(root: ObjectID) { bytes = root.bytes }

    public var description: String { bytes.allSatisfy { $0 == 0 } ? "none (a root commit)" : Hex.encode(bytes) }

    /// The project of a commit with `parents`: the root commit of its first parent's history, or `rootCommit` for a
    /// root commit.
    public static func of(parents: [ObjectID], in repository: RepositoryReading) throws -> ProjectID {
        guard let parent = parents.first else { return .rootCommit }
        return try ofHistory(of: parent, in: repository)
    }

    /// The project whose history holds `commit`: the root commit its first parents lead to (itself when it is one).
    /// Merges are not verifiable, so a dehub history has one root; for a history that has more anyway (one not
    /// verified yet), the first-parent root is the one that counts.
    public static func ofHistory(of commit: ObjectID, in repository: RepositoryReading) throws -> ProjectID {
        ProjectID(root: try repository.firstParentRoot(of: commit))
    }
}

/// Why a project id cannot be worked out; the message is shown to users as is.
public struct ProjectIDError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
