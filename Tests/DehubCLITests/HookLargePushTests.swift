import DehubTestSupport
import Foundation
import Testing

/// Pushes big enough for the hook to verify on several workers (one repository handle each, through the
/// quarantine): one signed comment message reused for many commits (a comment's fingerprint does not depend on
/// its parent), with one bad commit hidden among them.
@Suite("pre-receive hook: large pushes")
struct HookLargePushTests {
    /// Builds `count` comment commits on the checked-out thread, each with `message`, except at `badIndex`.
    private func chain(_ s: Scenario, message: String, count: Int, bad: (index: Int, message: String)? = nil) throws -> [String] {
        let tree = try s.git("rev-parse", "HEAD^{tree}")
        var parent = try s.head()
        var ids: [String] = []
        for i in 0..<count {
            let text = i == bad?.index ? bad!.message : message
            parent = try s.git(["commit-tree", tree, "-p", parent], stdin: Array(text.utf8))
            ids.append(parent)
        }
        try s.git("update-ref", "HEAD", parent)
        return ids
    }

    @Test func verifiesAllCommitsOfABigPush() throws {
        let s = try Scenario()
        let team = try s.guardedRepository()
        try s.git("switch", "-q", "-c", "feature")
        let signed = try s.comment("Same words, many commits", by: team.b)
        let ids = try chain(s, message: s.message(of: signed), count: 150)
        let result = try s.push("origin", "feature")
        expectAccepted(result)
        #expect(result.stderrText.contains("remote: dehub: 151 commit(s) verified"), "\(result.transcript)")
        #expect(try s.serverRef("refs/heads/feature") == ids.last)
    }

    @Test func findsOneBadCommitAmongMany() throws {
        let s = try Scenario()
        let team = try s.guardedRepository()
        try s.git("switch", "-q", "-c", "feature")
        let signed = try s.comment("Same words, many commits", by: team.b)
        let message = try s.message(of: signed)
        let forged = message.replacingOccurrences(of: "account: bob", with: "account: carol")
        let ids = try chain(s, message: message, count: 150, bad: (97, forged))
        let result = try s.push("origin", "feature")
        expectRefused(
            result, "commit \(short(ids[97])) ", "is not one of account 'carol''s keys",
            "1 of 99 commit(s) not verifiable; 52 later commit(s) not checked")
        #expect(try s.serverRef("refs/heads/feature") == nil)
    }
}
