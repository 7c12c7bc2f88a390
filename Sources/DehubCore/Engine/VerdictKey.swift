import Crypto

/// What one cached verdict answers: "does this commit verify for this branch and this update, under this governing
/// config, these limits and these rules?" (format §9.3). The key is a SHA-256 digest over every input the verdict
/// depends on, each length-prefixed, so two different questions never share a key: an entry written for any other
/// question (or altered in any byte) can only be a miss, never a pass for this one.
public struct VerdictKey: Hashable, Sendable {
    /// Bumped whenever what §9 checks changes (a new check, a stricter decoder): every older entry becomes a miss.
    public static let rulesVersion: UInt32 = 1

    /// The 32 digest bytes.
    public let bytes: [UInt8]

    public static func == (a: VerdictKey, b: VerdictKey) -> Bool { a.bytes == b.bytes }

    /// The bytes in one go (the synthesized hash feeds them to the hasher one at a time).
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// The key of a digest read back from a cache file; nil unless it is 32 bytes.
    public init?(digest: [UInt8]) {
        guard digest.count == 32 else { return nil }
        bytes = digest
    }

    /// Every input of one commit's verdict (format §9.2).
    public struct Inputs: Sendable {
        public var commit: ObjectID
        /// The branch the commit is verified for (short name).
        public var branch: String
        public var nonFastForward: Bool
        /// Where the governing config came from: the parent's tree, or the commit's own tree for a root commit.
        public var governingTree: ObjectID
        /// The governing config's identity: the id of `.dehub` in `governingTree` (config and key files all live
        /// under it), nil when there is none.
        public var configDirectory: ObjectID?
        /// The project credentials were bound to (§6.7), nil when the governing config does not bind.
        public var project: ProjectID?
        public var limits: PayloadLimits

        public init(
            commit: ObjectID, branch: String, nonFastForward: Bool, governingTree: ObjectID, configDirectory: ObjectID?,
            project: ProjectID?, limits: PayloadLimits
        ) {
            self.commit = commit
            self.branch = branch
            self.nonFastForward = nonFastForward
            self.governingTree = governingTree
            self.configDirectory = configDirectory
            self.project = project
            self.limits = limits
        }
    }

    public init(_ inputs: Inputs) {
        var hasher = SHA256()
        // Each part is its length (8 bytes, little-endian) then its bytes; an optional id is a 1 byte marker first.
        func length(_ n: Int) { withUnsafeBytes(of: UInt64(n).littleEndian) { hasher.update(bufferPointer: $0) } }
        func add(_ part: [UInt8]) {
            length(part.count)
            hasher.update(data: part)
        }
        func add(_ id: ObjectID?) {
            guard let id else { return add(Self.absent) }
            length(1 + id.bytes.count)
            hasher.update(data: Self.present)
            hasher.update(data: id.bytes)
        }
        func add(_ number: Int) { withUnsafeBytes(of: Int64(number).littleEndian) { hasher.update(bufferPointer: $0) } }
        add(Self.domain)
        add(Int(Self.rulesVersion))
        add(inputs.commit.bytes)
        var branch = inputs.branch
        branch.withUTF8 { utf8 in
            length(utf8.count)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(utf8))
        }
        add(inputs.nonFastForward ? Self.present : Self.absent)
        add(inputs.governingTree.bytes)
        add(inputs.configDirectory)
        add(inputs.project.map { ObjectID(unchecked: $0.bytes) })
        let limits = inputs.limits
        add(limits.maxMessageBytes)
        add(limits.maxTextBytes)
        add(limits.maxCredentials)
        add(limits.maxSignatureBytes)
        add(limits.maxPublicKeyBytes)
        bytes = Array(hasher.finalize())
    }

    private static let domain = Array("dehub verdict".utf8)
    private static let present: [UInt8] = [1]
    private static let absent: [UInt8] = [0]
}
