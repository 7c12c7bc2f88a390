import Testing

@testable import DehubCluster

@Suite("Replica checksum: order-independent, incremental, round-trips")
struct ReplicaChecksumTests {
    static let oids = [
        "1" + String(repeating: "a", count: 39), "2" + String(repeating: "b", count: 39), String(repeating: "f", count: 40),
    ]
    static let pairs = [
        ("refs/heads/main", oids[0]), ("refs/heads/idea", oids[1]), ("refs/tags/v1", oids[2]), ("refs/heads/x", oids[0]),
    ]

    static func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { i -> [[T]] in
            var rest = items
            let head = rest.remove(at: i)
            return permutations(rest).map { [head] + $0 }
        }
    }

    @Test("every order of adding the same pairs gives the same checksum")
    func orderIndependent() {
        var seen = Set<ReplicaChecksum>()
        for order in Self.permutations(Self.pairs) {
            var sum = ReplicaChecksum.empty
            for (ref, oid) in order { sum.add(ref: ref, oid: oid) }
            seen.insert(sum)
        }
        #expect(seen.count == 1)
        #expect(seen.first == ReplicaChecksum(refs: Dictionary(uniqueKeysWithValues: Self.pairs)))
    }

    @Test("moves applied one by one equal the checksum computed from scratch, over every sequence of 4 moves")
    func incrementalEqualsScratch() {
        let refs = ["refs/heads/main", "refs/heads/idea"]
        let values: [String?] = [nil, Self.oids[0], Self.oids[1]]
        let moves = refs.flatMap { ref in values.map { (ref, $0) } }
        func walk(_ depth: Int, _ refsNow: [String: String], _ sum: ReplicaChecksum) {
            #expect(sum == ReplicaChecksum(refs: refsNow))
            guard depth > 0 else { return }
            for (ref, new) in moves {
                var next = refsNow
                next[ref] = new
                walk(depth - 1, next, sum.applying(ref: ref, old: refsNow[ref], new: new))
            }
        }
        walk(4, [:], .empty)
    }

    @Test("different refs give different checksums; the same oid under another ref differs")
    func distinguishes() {
        let a = ReplicaChecksum(refs: ["refs/heads/main": Self.oids[0]])
        let b = ReplicaChecksum(refs: ["refs/heads/main": Self.oids[1]])
        let c = ReplicaChecksum(refs: ["refs/heads/other": Self.oids[0]])
        #expect(Set([a, b, c, ReplicaChecksum.empty]).count == 4)
    }

    @Test("the text form round-trips; malformed text is refused")
    func textForm() {
        let sum = ReplicaChecksum(refs: Dictionary(uniqueKeysWithValues: Self.pairs))
        #expect(ReplicaChecksum(sum.description) == sum)
        #expect(ReplicaChecksum.empty.description == "0:" + String(repeating: "0", count: 64))
        for bad in [
            "", "1", "x:" + String(repeating: "0", count: 64), "1:" + String(repeating: "0", count: 63),
            "1:" + String(repeating: "G", count: 64), "-1:" + String(repeating: "0", count: 64), "1:2:3",
        ] {
            #expect(ReplicaChecksum(bad) == nil, "\(bad)")
        }
    }

    @Test("removing what was added wraps around to empty, even across carries")
    func wraps() {
        var sum = ReplicaChecksum.empty
        for (ref, oid) in Self.pairs { sum.add(ref: ref, oid: oid) }
        for (ref, oid) in Self.pairs.reversed() { sum.remove(ref: ref, oid: oid) }
        #expect(sum == .empty)
        var under = ReplicaChecksum.empty
        under.remove(ref: "refs/heads/main", oid: Self.oids[0])
        under.add(ref: "refs/heads/main", oid: Self.oids[0])
        #expect(under == .empty)
    }
}
