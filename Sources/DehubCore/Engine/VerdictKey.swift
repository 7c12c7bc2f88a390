import Crypto

/// What one cached verdict answers: "does this commit verify for this branch and this update, under this governing
/// config, these limits and these rules?" (format §9.3). The key is a SHA-256 digest over every input the verdict
/// depends on, each length-prefixed, so two different questions never share a key: an entry written for any other
/// question (or altered in any byte) can only be a miss, never a pass for this one.
public struct VerdictKey: Hashable, Sendable {
    /// Bumped whenever what §9 checks changes (a new check, a stricter decoder): every older entry becomes a miss.
    public static let rulesVersion: UInt32 = 1

    /// The 32 digest bytes, held inline in four words (a cache of 10,000 keys is then one allocation, not 10,001).
    private let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// The 32 digest bytes, as a new array.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { raw in
            for (i, word) in [w0, w1, w2, w3].enumerated() { raw.storeBytes(of: word, toByteOffset: 8 * i, as: UInt64.self) }
        }
        return out
    }

    public static func == (a: VerdictKey, b: VerdictKey) -> Bool {
        a.w0 == b.w0 && a.w1 == b.w1 && a.w2 == b.w2 && a.w3 == b.w3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(w0)
        hasher.combine(w1)
        hasher.combine(w2)
        hasher.combine(w3)
    }

    /// The key of a digest read back from a cache file; nil unless it is 32 bytes.
    public init?(digest: [UInt8]) {
        guard let key = digest.withUnsafeBytes({ VerdictKey(raw: $0) }) else { return nil }
        self = key
    }

    /// The key of 32 raw digest bytes; nil for any other length.
    public init?(raw: UnsafeRawBufferPointer) {
        guard raw.count == 32 else { return nil }
        w0 = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        w2 = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        w3 = raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    }

    /// Every input of one commit's verdict (format §9.2). Each is either what the commit is asked under (the branch,
    /// the update, the limits) or pinned by the commit id already (its tree, its parent's tree): the latter are in the
    /// key so that a caller that got them wrong (a link that lies about its parent or tree) gets a miss. Nothing in
    /// it needs a tree to be read: the governing config and the project are pinned by the commit id through its
    /// parent and its root commit, so they are not inputs.
    public struct Inputs: Sendable {
        public var commit: ObjectID
        /// The commit's own tree.
        public var tree: ObjectID
        /// The branch the commit is verified for (short name).
        public var branch: String
        public var nonFastForward: Bool
        /// Where the governing config came from: the parent's tree, or the commit's own tree for a root commit.
        public var governingTree: ObjectID
        public var limits: PayloadLimits

        public init(
            commit: ObjectID, tree: ObjectID, branch: String, nonFastForward: Bool, governingTree: ObjectID,
            limits: PayloadLimits
        ) {
            self.commit = commit
            self.tree = tree
            self.branch = branch
            self.nonFastForward = nonFastForward
            self.governingTree = governingTree
            self.limits = limits
        }
    }

    public init(_ inputs: Inputs) {
        var hasher = SHA256()
        // Each part is its length (8 bytes, little-endian) then its bytes.
        func length(_ n: Int) { withUnsafeBytes(of: UInt64(n).littleEndian) { hasher.update(bufferPointer: $0) } }
        func add(_ part: [UInt8]) {
            length(part.count)
            hasher.update(data: part)
        }
        func add(_ id: ObjectID) {
            length(20)
            id.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        func add(_ number: Int) { withUnsafeBytes(of: Int64(number).littleEndian) { hasher.update(bufferPointer: $0) } }
        add(Self.domain)
        add(Int(Self.rulesVersion))
        add(inputs.commit)
        add(inputs.tree)
        var branch = inputs.branch
        branch.withUTF8 { utf8 in
            length(utf8.count)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(utf8))
        }
        add(inputs.nonFastForward ? Self.present : Self.absent)
        add(inputs.governingTree)
        let limits = inputs.limits
        add(limits.maxMessageBytes)
        add(limits.maxTextBytes)
        add(limits.maxCredentials)
        add(limits.maxSignatureBytes)
        add(limits.maxPublicKeyBytes)
        let digest = hasher.finalize()
        self = digest.withUnsafeBytes { VerdictKey(raw: $0) }!  // a SHA-256 digest is 32 bytes
    }

    /// Version 2 of the key's layout (version 1 also named the `.dehub` directory and the bound project, which cost a
    /// tree read per commit to work out): an entry of the other layout is a miss.
    private static let domain = Array("dehub verdict 2".utf8)
    private static let present: [UInt8] = [1]
    private static let absent: [UInt8] = [0]
}
