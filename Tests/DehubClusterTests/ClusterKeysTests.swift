import Testing

@testable import DehubCluster

@Suite("Cluster key layout")
struct ClusterKeysTests {
    let keys = ClusterKeys(prefix: "/dehub/")

    @Test("every key parses back to what it was made from")
    func roundTrip() {
        for repo in ["demo", "team/project", "a.b-c_d"] {
            #expect(keys.parse(keys.repo(repo)) == .repo(repo))
            #expect(keys.parse(keys.sum(repo)) == .sum(repo))
            #expect(keys.parse(keys.log(repo)) == .log(repo))
            for ref in ["refs/heads/main", "refs/tags/v1.0", "refs/heads/a/b/c"] {
                #expect(keys.parse(keys.ref(repo, ref)) == .ref(repo: repo, ref: ref))
            }
            #expect(keys.parse(keys.replica(repo, "node-1")) == .replica(repo: repo, node: "node-1"))
        }
        #expect(keys.parse(keys.node("n1")) == .node("n1"))
    }

    @Test("a repo's ref prefix never covers another repo's refs")
    func prefixesDisjoint() {
        let pairs = [("a", "a/b"), ("a", "ab"), ("team/p", "team/p2"), ("team", "team/p")]
        for (x, y) in pairs {
            #expect(!keys.ref(y, "refs/heads/main").hasPrefix(keys.refsPrefix(x)))
            #expect(!keys.ref(x, "refs/heads/main").hasPrefix(keys.refsPrefix(y)))
            #expect(!keys.replica(y, "n").hasPrefix(keys.replicasPrefix(x)))
        }
    }

    @Test(
        "keys outside the layout are not parsed",
        arguments: [
            "/other/repos/x", "/dehub", "/dehub/", "/dehub/repos/", "/dehub/refs/demo", "/dehub/refs/:refs/heads/main",
            "/dehub/refs/demo:", "/dehub/unknown/x", "/dehubx/repos/a",
        ])
    func foreign(key: String) {
        #expect(keys.parse(key) == nil)
    }

    @Test(
        "node ids",
        arguments: [
            ("n1", true), ("node-1.example_2", true), ("", false), ("-n", false), (".n", false), ("N1", false), ("a:b", false),
            ("a/b", false), (String(repeating: "a", count: 64), true), (String(repeating: "a", count: 65), false),
        ])
    func nodeIDs(id: String, valid: Bool) {
        #expect(ClusterKeys.isValidNodeID(id) == valid)
    }

    @Test("etcd endpoint lists")
    func endpoints() throws {
        #expect(
            try EtcdEndpoints.parse("http://127.0.0.1:2379, http://h:1/").get().urls == [
                "http://127.0.0.1:2379", "http://h:1",
            ])
        for bad in [
            "", ",", "127.0.0.1:2379", "https://h:1", "http://h", "http://h:0", "http://h:1/v3", "http://u@h:1",
            "http://:1", "http://h:99999",
        ] {
            #expect((try? EtcdEndpoints.parse(bad).get()) == nil, "\(bad)")
        }
    }
}
