import Testing

@testable import DehubHost

/// `HostConfig.table`, the one list of `host-config.yml` keys that parsing, the unknown-key guard and the first-start
/// file come from.
@Suite("Host config: the table of keys")
struct HostConfigTableTests {
    @Test("every key is listed once and stands in the first-start file (set, or commented out)")
    func keys() {
        let names = HostConfig.table.map(\.name)
        #expect(Set(names).count == names.count, "\(names)")
        let lines = HostConfig.defaultFileText.split(separator: "\n").map(String.init)
        for name in names {
            #expect(lines.filter { $0.hasPrefix("\(name): ") || $0.hasPrefix("# \(name): ") }.count == 1, "\(name)")
        }
    }

    @Test("a list or mapping where a scalar belongs is refused with the key's name")
    func notAScalar() {
        for name in HostConfig.table.map(\.name) where name != "peers" {
            #expect(
                HostConfig.parse("\(name): [1]\n").failureValue?.message
                    == "host config line 1: the value of \(name) is not a plain scalar", "\(name)")
        }
    }
}
