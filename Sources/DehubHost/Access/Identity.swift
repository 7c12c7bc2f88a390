/// Who is asking, as established by a transport: never a key only offered, always one whose
/// signature verified (SSH) or that a valid token is bound to (HTTP), or another node of the cluster whose token
/// verified under the cluster secret (`NodeToken`), reading for replication.
public enum Identity: Hashable, Sendable, CustomStringConvertible {
    case anonymous
    case key(SSHKeyIdentity)
    /// A cluster node replicating (its node id): reads every repo, never pushes.
    case clusterNode(String)

    public var key: SSHKeyIdentity? {
        if case .key(let key) = self { return key }
        return nil
    }

    public var isAuthenticated: Bool {
        if case .anonymous = self { return false }
        return true
    }

    public var clusterNode: String? {
        if case .clusterNode(let node) = self { return node }
        return nil
    }

    public var description: String {
        switch self {
        case .anonymous: "anonymous"
        case .key(let key): key.description
        case .clusterNode(let node): "cluster node \(node)"
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
