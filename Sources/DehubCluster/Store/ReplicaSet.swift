import Crypto

/// Which nodes hold a repo: rendezvous hashing (highest random weight). Each node's score for a repo is a hash of
/// both; the `count` highest-scoring live nodes are its replica set. Every node computes the same set from the
/// same node list, and a node joining or leaving moves only the repos it enters or leaves.
public enum ReplicaSet {
    public static let defaultCount = 3

    public static func choose(repo: String, nodes: [String], count: Int = defaultCount) -> [String] {
        let unique = Array(Set(nodes))
        let ranked = unique.map { (node: $0, score: score(repo: repo, node: $0)) }.sorted {
            $0.score != $1.score ? $0.score > $1.score : $0.node < $1.node
        }
        return ranked.prefix(max(count, 0)).map(\.node)
    }

    static func score(repo: String, node: String) -> UInt64 {
        let digest = Array(SHA256.hash(data: Array("\(repo)\u{0}\(node)".utf8)))
        return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
