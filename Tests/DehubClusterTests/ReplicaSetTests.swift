import Testing

@testable import DehubCluster

@Suite("Replica set choice (rendezvous hashing)")
struct ReplicaSetTests {
    static let nodes = ["n1", "n2", "n3", "n4", "n5"]

    static func subsets(_ items: [String]) -> [[String]] {
        (0..<(1 << items.count)).map { mask in items.indices.filter { mask & (1 << $0) != 0 }.map { items[$0] } }
    }

    @Test("over every subset of 5 nodes and every count: the right size, only live nodes, independent of order")
    func shape() {
        for subset in Self.subsets(Self.nodes) {
            for count in 0...6 {
                for repo in ["demo", "team/project", "x"] {
                    let chosen = ReplicaSet.choose(repo: repo, nodes: subset, count: count)
                    #expect(chosen.count == min(count, subset.count))
                    #expect(Set(chosen).isSubset(of: Set(subset)))
                    #expect(Set(chosen).count == chosen.count)
                    #expect(ReplicaSet.choose(repo: repo, nodes: subset.reversed(), count: count) == chosen)
                }
            }
        }
    }

    @Test("a node leaving moves only the repos it held; a node joining takes a place only where it ranks in")
    func minimalMovement() {
        let repos = (0..<200).map { "repo\($0)" }
        for leaving in Self.nodes {
            let rest = Self.nodes.filter { $0 != leaving }
            for repo in repos {
                let before = ReplicaSet.choose(repo: repo, nodes: Self.nodes)
                let after = ReplicaSet.choose(repo: repo, nodes: rest)
                if !before.contains(leaving) { #expect(after == before) }
                #expect(Set(before).subtracting([leaving]).isSubset(of: Set(after)))
            }
        }
    }

    @Test("with 5 nodes and 200 repos every node holds some repos")
    func spread() {
        var load: [String: Int] = [:]
        for i in 0..<200 { for node in ReplicaSet.choose(repo: "repo\(i)", nodes: Self.nodes) { load[node, default: 0] += 1 } }
        #expect(load.count == 5)
        #expect(load.values.allSatisfy { $0 > 60 })
    }
}
