/// Who is asking, as established by a transport: never a key only offered, always one whose
/// signature verified (SSH) or that a valid token is bound to (HTTP).
public enum Identity: Hashable, Sendable, CustomStringConvertible {
    case anonymous
    case key(SSHKeyIdentity)

    public var key: SSHKeyIdentity? {
        if case .key(let key) = self { return key }
        return nil
    }

    public var isAuthenticated: Bool { key != nil }

    public var description: String {
        switch self {
        case .anonymous: "anonymous"
        case .key(let key): key.description
        }
    }
}

/// How the request reached the host.
public enum Transport: String, Sendable, CaseIterable {
    case ssh, http
}

/// Who may push (issue: `--push open|members`).
public enum PushPolicy: String, Sendable, Codable, CaseIterable {
    /// Anyone may push; the dehub hook is the gate.
    case open
    /// Only admins and keys listed as `ssh_public_key` signifiers in the repo's config on `main`.
    case members
}
