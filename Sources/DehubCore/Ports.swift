/// The ports the verification engine needs. Adapters implement them (libgit2, OpenPGP, SSHSIG);
/// the engine itself does no I/O.

/// What the engine needs to know about one commit.
public struct CommitInfo: Sendable {
    public var id: ObjectID
    public var parents: [ObjectID]
    public var tree: ObjectID
    /// The raw commit message, exactly as stored (invalid UTF-8 replaced; see `messageIsValidUTF8`).
    public var message: String
    /// False when the stored message is not valid UTF-8: such a commit is not verifiable.
    public var messageIsValidUTF8 = true

    public init(id: ObjectID, parents: [ObjectID], tree: ObjectID, message: String) {
        self.id = id
        self.parents = parents
        self.tree = tree
        self.message = message
    }

    /// The first line of the message, for display.
    public var head: String {
        CommitMessage.firstLine(message)
    }
}

/// Read access to a repository's object database.
public protocol RepositoryReading {
    func commit(_ id: ObjectID) throws -> CommitInfo
    /// The files that differ between `commit`'s tree and its first parent's tree (the empty tree for a root
    /// commit), one entry per path, renames as a deletion plus an addition, type changes as one entry.
    func changedFiles(of commit: CommitInfo) throws -> [FileChange]
    /// The same, when the caller already knows the first parent's tree (`parentTree`, nil for a root commit):
    /// saves reading the parent again.
    func changedFiles(of commit: CommitInfo, parentTree: ObjectID?) throws -> [FileChange]
    /// The id of the tree or blob at `path` in `tree`, or nil when there is none.
    func entryID(at path: String, inTree tree: ObjectID) throws -> ObjectID?
    /// The bytes of the blob at `path` in `tree`, or nil when there is no blob there.
    /// Must refuse (throw) blobs larger than `limit` bytes.
    func blob(at path: String, inTree tree: ObjectID, limit: Int) throws -> [UInt8]?
    /// True when `ancestor` is `descendant` or one of its ancestors.
    func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool
    /// The tree of a commit, without decoding the rest of it.
    func tree(ofCommit id: ObjectID) throws -> ObjectID
    /// The root commit reached from `tip` (itself included) by first parents: the project of format §6.7.
    func firstParentRoot(of tip: ObjectID) throws -> ObjectID
    /// True when the object database holds an object with this id, found without reading it: how a verdict-cache
    /// hit checks that a commit's trees are still there (format §9.3).
    func hasObject(_ id: ObjectID) throws -> Bool
}

extension RepositoryReading {
    public func tree(ofCommit id: ObjectID) throws -> ObjectID { try commit(id).tree }

    public func changedFiles(of commit: CommitInfo, parentTree: ObjectID?) throws -> [FileChange] {
        try changedFiles(of: commit)
    }

    /// A walk over `commit(_:)`; adapters with a cheaper way to read parents provide their own.
    public func firstParentRoot(of tip: ObjectID) throws -> ObjectID {
        var current = tip
        var seen: Set<ObjectID> = [tip]
        while let parent = try commit(current).parents.first {
            guard seen.insert(parent).inserted else { throw ProjectIDError("the history of \(tip.short) has a cycle") }
            current = parent
        }
        return current
    }
}

/// Why a signature did not verify. The message is shown to users as is.
public struct SignatureFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Verifies signatures over bytes; knows nothing of repositories or configs.
public protocol SignatureVerifying: Sendable {
    /// Verifies a binary OpenPGP detached signature over `message` made by one of the keys in `armoredKeys`
    /// (a primary key or one of its valid signing subkeys). Throws `SignatureFailure` when it does not verify,
    /// or when no given key made it.
    func verifyOpenPGP(signature: [UInt8], over message: [UInt8], armoredKeys: [String]) throws -> OpenPGPSigner

    /// Verifies a binary SSHSIG blob (namespace `dehub`) over `message` against the OpenSSH public key line
    /// `publicKey` (`ssh-ed25519 AAAA... comment`). Throws `SignatureFailure` when it does not verify.
    func verifySSH(signature: [UInt8], over message: [UInt8], publicKey: String) throws

    /// The long key ids (16 upper-case hex digits) of the primary key and subkeys in an armoured key block.
    func openPGPKeyIDs(armoredKey: String) throws -> [String]
}

/// Which key made a verified OpenPGP signature.
public struct OpenPGPSigner: Equatable, Sendable {
    /// Long key id (16 upper-case hex digits) of the key that made the signature (primary or subkey).
    public var signingKeyID: String
    /// Long key id of its primary key (equal to `signingKeyID` when the primary key signed).
    public var primaryKeyID: String
    public init(signingKeyID: String, primaryKeyID: String) {
        self.signingKeyID = signingKeyID
        self.primaryKeyID = primaryKeyID
    }
}
