/// One ref of one repository that moved, as the host announces it: `{repo, ref, old, new, id}`.
/// `old` and `new` are object ids in hex; all zeros means "did not exist" (a created or a deleted ref),
/// as in git's own ref update lines.
public struct RefEvent: Hashable, Sendable {
    public var repo: String
    public var ref: String
    public var old: String
    public var new: String
    public var id: RefEventID

    public init(repo: String, ref: String, old: String, new: String, id: RefEventID) {
        self.repo = repo
        self.ref = ref
        self.old = old
        self.new = new
        self.id = id
    }

    public var isDeletion: Bool { RefEventText.isZero(new) }
    public var isCreation: Bool { RefEventText.isZero(old) }
}

/// Where an event stands in one host's stream: the host instance (random at every start) and a sequence number
/// that increases by one per event. Written `INSTANCE-SEQUENCE` (`Last-Event-ID`); an id of another instance
/// (the host restarted) can never be replayed, so it gets a fresh snapshot.
public struct RefEventID: Hashable, Sendable, CustomStringConvertible {
    public let instance: String
    public let sequence: UInt64

    public init?(instance: String, sequence: UInt64) {
        guard Self.isInstance(instance) else { return nil }
        self.instance = instance
        self.sequence = sequence
    }

    /// Parses `INSTANCE-SEQUENCE` strictly: 16 lower-case hex digits, `-`, a decimal number without sign or
    /// leading zero (at most 20 digits).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = RefEventText.decimal(parts[1]),
            let id = RefEventID(instance: String(parts[0]), sequence: number)
        else { return nil }
        self = id
    }

    public var description: String { "\(instance)-\(sequence)" }

    static func isInstance(_ text: String) -> Bool {
        text.utf8.count == 16
            && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}

/// The checks every event field passes, on the host before it sends and in the client after it reads.
public enum RefEventText {
    /// A repository name as the host spells it: printable ASCII without spaces, at most 256 bytes.
    public static func isRepoName(_ text: some StringProtocol) -> Bool {
        let bytes = text.utf8
        return !bytes.isEmpty && bytes.count <= 256 && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7f }
    }

    /// A full ref name: starts with `refs/`, printable ASCII without spaces (git refuses them), at most 1024 bytes.
    public static func isRefName(_ text: some StringProtocol) -> Bool {
        let bytes = text.utf8
        return text.hasPrefix("refs/") && bytes.count > 5 && bytes.count <= 1024
            && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7f }
    }

    /// An object id: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits.
    public static func isObjectID(_ text: some StringProtocol) -> Bool {
        let bytes = text.utf8
        return (bytes.count == 40 || bytes.count == 64)
            && bytes.allSatisfy { (0x30...0x39).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    public static func isZero(_ oid: some StringProtocol) -> Bool { oid.utf8.allSatisfy { $0 == UInt8(ascii: "0") } }

    /// The all-zeros id of the same length as `oid`.
    public static func zero(like oid: String) -> String { String(repeating: "0", count: max(40, oid.utf8.count)) }

    /// A non-negative decimal without sign or leading zeros, at most 20 digits.
    static func decimal(_ text: some StringProtocol) -> UInt64? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 20, bytes.allSatisfy({ (0x30...0x39).contains($0) }),
            bytes.count == 1 || bytes[0] != UInt8(ascii: "0")
        else { return nil }
        return UInt64(String(decoding: bytes, as: UTF8.self))
    }
}
