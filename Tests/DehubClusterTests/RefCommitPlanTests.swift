import Testing

@testable import DehubCluster

@Suite("Compare-and-swap planning and transaction shape")
struct RefCommitPlanTests {
    static let a = String(repeating: "a", count: 40), b = String(repeating: "b", count: 40)
    static let values: [String?] = [nil, a, b]

    /// Every combination of store value, old and new for two refs (3^6 cases), against the rule written plainly.
    @Test("every store/old/new combination of two refs")
    func exhaustive() {
        let refs = ["refs/heads/main", "refs/heads/idea"]
        var cases = 0
        for s0 in Self.values {
            for s1 in Self.values {
                for o0 in Self.values {
                    for o1 in Self.values {
                        for n0 in Self.values {
                            for n1 in Self.values {
                                let store = [s0, s1]
                                var current: [String: String] = [:]
                                for (ref, value) in zip(refs, store) { current[ref] = value }
                                let changes = [
                                    RefChange(ref: refs[0], old: o0, new: n0), RefChange(ref: refs[1], old: o1, new: n1),
                                ]
                                let transaction = RefTransaction(repo: "demo", changes: changes, writer: "n1", role: "member")
                                let sum = ReplicaChecksum(refs: current)
                                let plan = RefCommitPlan.plan(transaction, current: current, checksum: sum)
                                cases += 1
                                if n0 == s0 && n1 == s1 {
                                    #expect(plan == .alreadyInStore)
                                } else if o0 != s0 {
                                    #expect(plan == .conflict(ref: refs[0], storeValue: s0))
                                } else if o1 != s1 {
                                    #expect(plan == .conflict(ref: refs[1], storeValue: s1))
                                } else {
                                    var after: [String: String] = [:]
                                    for (ref, value) in zip(refs, [n0, n1]) { after[ref] = value }
                                    #expect(plan == .apply(checksum: ReplicaChecksum(refs: after)))
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(cases == 729)
    }

    @Test("the checksum covers refs outside the transaction")
    func otherRefsKept() {
        let current = ["refs/heads/main": Self.a, "refs/heads/other": Self.b]
        let transaction = RefTransaction(
            repo: "demo", changes: [RefChange(ref: "refs/heads/main", old: Self.a, new: Self.b)], writer: "n1", role: "admin")
        let plan = RefCommitPlan.plan(transaction, current: current, checksum: ReplicaChecksum(refs: current))
        #expect(plan == .apply(checksum: ReplicaChecksum(refs: ["refs/heads/main": Self.b, "refs/heads/other": Self.b])))
    }

    @Test("transactions of a bad shape are refused with a reason")
    func shape() {
        func problem(_ changes: [RefChange]) -> RefTransaction.Problem? {
            do {
                try RefTransaction(repo: "demo", changes: changes, writer: "n", role: "member").validate()
                return nil
            } catch { return error }
        }
        let a = Self.a
        #expect(problem([]) == .empty)
        #expect(problem([RefChange(ref: "HEAD", old: nil, new: a)]) == .badRef("HEAD"))
        #expect(problem([RefChange(ref: "refs/heads/a:b", old: nil, new: a)]) == .badRef("refs/heads/a:b"))
        #expect(problem([RefChange(ref: "refs/heads/a b", old: nil, new: a)]) == .badRef("refs/heads/a b"))
        #expect(problem([RefChange(ref: "refs/heads/x", old: nil, new: "xyz")]) == .badOID("xyz"))
        #expect(problem([RefChange(ref: "refs/heads/x", old: String(repeating: "0", count: 40), new: a)]) != nil)
        #expect(problem([RefChange(ref: "refs/heads/x", old: nil, new: a.uppercased())]) != nil)
        #expect(
            problem([RefChange(ref: "refs/heads/x", old: nil, new: a), RefChange(ref: "refs/heads/x", old: a, new: nil)])
                == .duplicate("refs/heads/x"))
        let many = (0...RefTransaction.maxChanges).map { RefChange(ref: "refs/heads/b\($0)", old: nil, new: a) }
        #expect(problem(many) == .tooMany(RefTransaction.maxChanges + 1))
        #expect(problem([RefChange(ref: "refs/heads/x", old: nil, new: String(repeating: "c", count: 64))]) == nil)
    }
}
