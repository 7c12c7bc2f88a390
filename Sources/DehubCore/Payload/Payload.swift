/// The kinds of payload: three a dehub commit carries, and `tag`, which only an annotated tag object carries
/// (format §4.4, §13).
public enum PayloadType: String, CaseIterable, Sendable {
    case change, comment, credential, tag
}

/// The YAML document after a dehub commit's head line (format §3–§4).
public struct Payload: Equatable, Sendable {
    public enum Body: Equatable, Sendable {
        /// A change: the diff against the parent is the change; `description` says what it is.
        case change(description: String)
        /// A comment; changes no files.
        case comment(String)
        /// Credentials for a change made elsewhere; `commits` is informational.
        case credential(commits: [String], changeDescription: String?)
        /// A release tag (format §4.4): only in the message of an annotated tag object named `name`.
        case tag(TagFields)
    }

    public var body: Body
    public var fingerprint: Fingerprint
    public var credentials: [Credential]

    public init(body: Body, fingerprint: Fingerprint, credentials: [Credential] = []) {
        self.body = body
        self.fingerprint = fingerprint
        self.credentials = credentials
    }

    public var type: PayloadType {
        switch body {
        case .change: return .change
        case .comment: return .comment
        case .credential: return .credential
        case .tag: return .tag
        }
    }
}

/// A signature over a fingerprint's 33 bytes (format §6).
public enum Credential: Equatable, Sendable {
    case pgp(PGPCredential)
    case ssh(SSHCredential)

    /// The account the credential claims; nil for an anonymous OpenPGP credential.
    public var account: String? {
        switch self {
        case .pgp(let c): return c.account
        case .ssh(let c): return c.account
        }
    }
}

public struct PGPCredential: Equatable, Sendable {
    /// The signer's long key id, 16 upper-case hex digits.
    public var pubKeyID: String
    /// The binary OpenPGP detached signature.
    public var signature: [UInt8]
    public var account: String?
    /// For anonymous credentials: the signer's armoured public key.
    public var pubKeyBody: String?

    public init(pubKeyID: String, signature: [UInt8], account: String?, pubKeyBody: String? = nil) {
        self.pubKeyID = pubKeyID
        self.signature = signature
        self.account = account
        self.pubKeyBody = pubKeyBody
    }
}

public struct SSHCredential: Equatable, Sendable {
    /// The signer's OpenSSH public key line.
    public var pubKey: String
    /// The binary SSHSIG blob (namespace `dehub`).
    public var signature: [UInt8]
    public var account: String

    public init(pubKey: String, signature: [UInt8], account: String) {
        self.pubKey = pubKey
        self.signature = signature
        self.account = account
    }
}

/// What a release tag is about (format §4.4): its name, the commit it points at and what it says; the fingerprint
/// covers exactly these (§5.5).
public struct TagFields: Equatable, Sendable {
    /// The tag's short name (`v1.0` for `refs/tags/v1.0`).
    public var name: String
    /// The commit the tag points at.
    public var target: ObjectID
    public var description: String

    public init(name: String, target: ObjectID, description: String) {
        self.name = name
        self.target = target
        self.description = description
    }

    /// The fingerprint of these fields (format §5.5).
    public var fingerprint: Fingerprint { Fingerprint.tag(name: name, target: target, description: description) }
}
