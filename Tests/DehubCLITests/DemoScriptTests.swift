import DehubTestSupport
import Foundation
import Testing

/// `scripts/demo.sh` with the built binary: the tour runs to the end and shows what it promises (with credentials
/// bound to the project, as every config dehub writes).
@Suite("scripts/demo.sh")
struct DemoScriptTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/demo.sh").path

    @Test func runsToTheEnd() throws {
        let s = try Scenario()
        let result = try s.run("bash", [Self.script, s.dehubPath], in: s.directory.path)
        #expect(result.exitCode == 0, "\(result.transcript)")
        let all = result.stdoutText + result.stderrText
        for line in [
            "Initialized empty dehub repository",
            "Credential of bob",
            "(2 commit(s) combined; credentials: alice, bob)",
            "needs credentials from 2 of [alice, bob]; verified: alice",
            "(3 commit(s) combined; credentials: alice, bob)",
            "2 of 2 commit(s) verified on branch 'main'",
            "Initialized empty bare dehub repository",
            "installed a hook running",
            "(refused: bob has not signed yet)",
            "release tag 'v1.0' verified (credentials of alice, bob)",
            "ok tag v1.0",
            "remote: dehub: push refused",
            "(refused, as it should be)",
        ] {
            #expect(all.contains(line), "missing: \(line)\n\(result.transcript)")
        }
    }
}
