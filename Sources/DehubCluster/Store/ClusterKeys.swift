/// Where the cluster keeps what in etcd, under one prefix (default `/dehub`):
///
///     PREFIX/repos/REPO               the repo record (JSON: private or public)
///     PREFIX/refs/REPO:REF            the verified oid of REF (hex)
///     PREFIX/sum/REPO                 the replica checksum over every `ref oid` pair of REPO (`ReplicaChecksum`)
///     PREFIX/log/REPO                 the last transaction on REPO (JSON `RefTransaction`; each version is one record)
///     PREFIX/replicas/REPO:NODE       a replica's applied revision, checksum and state (JSON `ReplicaState`)
///     PREFIX/nodes/NODE               a live node (JSON `NodeRecord`), under the node's lease
///
/// `:` separates a repo from a ref or node: git ref names, repo names and node ids never contain it.
public struct ClusterKeys: Equatable, Sendable {
    public let prefix: String

    public init(prefix: String = "/dehub") {
        var prefix = prefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.prefix = prefix
    }

    public var all: String { prefix + "/" }
    public var reposPrefix: String { prefix + "/repos/" }
    public var nodesPrefix: String { prefix + "/nodes/" }
    public var replicasRoot: String { prefix + "/replicas/" }

    public func repo(_ repo: String) -> String { reposPrefix + repo }
    public func ref(_ repo: String, _ ref: String) -> String { refsPrefix(repo) + ref }
    public func refsPrefix(_ repo: String) -> String { prefix + "/refs/" + repo + ":" }
    public func sum(_ repo: String) -> String { prefix + "/sum/" + repo }
    public func log(_ repo: String) -> String { prefix + "/log/" + repo }
    public func replica(_ repo: String, _ node: String) -> String { replicasPrefix(repo) + node }
    public func replicasPrefix(_ repo: String) -> String { replicasRoot + repo + ":" }
    public func node(_ id: String) -> String { nodesPrefix + id }

    /// What a key under the prefix is about.
    public enum Parsed: Equatable, Sendable {
        case repo(String)
        case ref(repo: String, ref: String)
        case sum(String)
        case log(String)
        case replica(repo: String, node: String)
        case node(String)
    }

    public func parse(_ key: String) -> Parsed? {
        guard key.hasPrefix(prefix + "/") else { return nil }
        let rest = key.dropFirst(prefix.count + 1)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let kind = rest[..<slash]
        let tail = String(rest[rest.index(after: slash)...])
        guard !tail.isEmpty else { return nil }
        func split() -> (String, String)? {
            guard let colon = tail.firstIndex(of: ":") else { return nil }
            let left = String(tail[..<colon]), right = String(tail[tail.index(after: colon)...])
            return left.isEmpty || right.isEmpty ? nil : (left, right)
        }
        switch kind {
        case "repos": return .repo(tail)
        case "sum": return .sum(tail)
        case "log": return .log(tail)
        case "nodes": return .node(tail)
        case "refs": return split().map { .ref(repo: $0.0, ref: $0.1) }
        case "replicas": return split().map { .replica(repo: $0.0, node: $0.1) }
        default: return nil
        }
    }

    /// Node ids: 1 to 64 of `[a-z0-9._-]`, starting with a letter or digit.
    public static func isValidNodeID(_ id: String) -> Bool {
        guard let first = id.utf8.first, id.utf8.count <= 64 else { return false }
        let allowed = { (byte: UInt8) -> Bool in
            (97...122).contains(byte) || (48...57).contains(byte) || byte == 46 || byte == 95 || byte == 45
        }
        return allowed(first) && first != 46 && first != 95 && first != 45 && id.utf8.allSatisfy(allowed)
    }
}
