import DehubTestSupport
import Foundation
import Testing

/// `dehub combine`: squashes a thread onto a branch with the credentials that are valid for the combined change.
@Suite("dehub combine")
struct CombineCommandTests {
    /// The team's strict repository (main needs 2 of 3), no server, on a thread `feature` from main.
    private func world() throws -> (Scenario, ScenarioTeam, String) {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let root = try s.bootstrap(team.strictConfig(), signers: [team.a, team.b])
        try s.git("switch", "-q", "-c", "feature")
        return (s, team, root)
    }

    @Test func collectsTheCredentialsAndMovesTheBranch() throws {
        let (s, team, root) = try world()
        let first = try s.change("First step", by: team.a, files: ["a.txt": "a\n"])
        try s.comment("Nice, one more please", by: team.b)
        try s.change("Second step", by: team.a, files: ["b.txt": "b\n"])
        try s.credential(start: first, end: "HEAD", by: team.b)
        try s.credential(start: first, end: "HEAD", by: team.c)
        // A credential for the first change alone signs another fingerprint and is left out.
        try s.credential(start: first, by: team.c)
        let featureTree = try s.git("rev-parse", "feature^{tree}")

        let output = try s.dehubOK("combine", "--start", first, "--end", "feature", "--onto", "main")
        #expect(output.contains("6 commit(s) combined; credentials: bob, carol"), "\(output)")
        let main = try s.head("main")
        #expect(try s.git("rev-parse", "main^") == root, "the combined commit sits on main's old tip")
        #expect(try s.git("rev-parse", "main^{tree}") == featureTree, "with the thread's tree")
        #expect(try s.git("log", "-1", "--format=%s", "main") == "Second step")
        let message = try s.message(of: main)
        #expect(message.components(separatedBy: "account: bob").count == 2, "\(message)")
        #expect(message.components(separatedBy: "account: carol").count == 2, "one credential per account and key: \(message)")
        #expect(!message.contains("account: alice"), "\(message)")

        let verified = try s.dehub("verify", "--rev", "main", "--branch", "main")
        #expect(verified.exitCode == 0, "\(verified.transcript)")
        #expect(verified.stdoutText.contains("by bob, carol"), "\(verified.transcript)")
        let fingerprint = try s.dehubOK("fingerprint", "--rev", "main").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(message.contains("fingerprint: \(fingerprint)"))
    }

    @Test func refusesWhenTheThreadDoesNotStartAtTheBranchTip() throws {
        let (s, team, _) = try world()
        let start = try s.change("Thread work", by: team.a, files: ["t.txt": "t\n"])
        try s.credential(start: start, by: team.b)
        // main moves on in the meantime.
        try s.git("switch", "-q", "main")
        try s.landOnMain("Other work", files: ["o.txt": "o\n"], author: team.a, reviewers: [team.c])
        let mainBefore = try s.head("main")

        let result = try s.dehub("combine", "--start", start, "--end", "feature", "--onto", "main")
        #expect(result.exitCode == 65, "\(result.transcript)")
        #expect(result.stderrText.contains("rebase the thread onto main"), "\(result.transcript)")
        #expect(try s.head("main") == mainBefore)
    }

    @Test func refusesAndLeavesTheBranchWhenSignaturesAreMissing() throws {
        let (s, team, root) = try world()
        let start = try s.change("Only alice signed", by: team.a, files: ["a.txt": "a\n"])
        let result = try s.dehub("combine", "--start", start, "--end", "feature", "--onto", "main")
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(result.stderrText.contains("main was not moved"), "\(result.transcript)")
        #expect(
            result.stderrText.contains("needs credentials from 2 of [alice, bob, carol]; verified: alice"),
            "\(result.transcript)")
        #expect(try s.head("main") == root)
    }

    @Test func noVerifyMovesTheBranchAnyway() throws {
        let (s, team, root) = try world()
        let start = try s.change("Only alice signed", by: team.a, files: ["a.txt": "a\n"])
        try s.dehubOK("combine", "--start", start, "--end", "feature", "--onto", "main", "--no-verify")
        #expect(try s.git("rev-parse", "main^") == root)
        let verified = try s.dehub("verify", "--rev", "main", "--branch", "main")
        #expect(verified.exitCode == 1, "\(verified.transcript)")
    }

    @Test func credentialsMadeWithAnotherDescriptionAreNotCarried() throws {
        let (s, team, root) = try world()
        let start = try s.change("The change", by: team.a, files: ["a.txt": "a\n"])
        try s.credential(start: start, end: "HEAD", description: "Another description", by: team.b)
        try s.credential(start: start, end: "HEAD", description: "Another description", by: team.c)
        let refused = try s.dehub("combine", "--start", start, "--end", "feature", "--onto", "main")
        #expect(refused.exitCode == 1, "\(refused.transcript)")
        #expect(try s.head("main") == root)
        let output = try s.dehubOK(
            "combine", "--start", start, "--end", "feature", "--onto", "main",
            "--descr", "Another description")
        #expect(output.contains("credentials: bob, carol"), "\(output)")
        #expect(try s.git("log", "-1", "--format=%s", "main") == "Another description")
    }

    /// Combining onto the checked-out branch updates the work tree to the combined commit; local edits that
    /// are not part of the thread survive.
    @Test func keepsUncommittedWorkWhenCombiningOntoTheCheckedOutBranch() throws {
        let (s, team, _) = try world()
        let start = try s.change("Thread work", by: team.a, files: ["t.txt": "t\n"])
        try s.credential(start: start, by: team.b)
        try s.git("switch", "-q", "main")
        // Uncommitted work on main: an edit to a tracked file, and a new file.
        let config = try s.read(s.work + "/.dehub/config.yml")
        try s.write(".dehub/config.yml", config + "# a local note\n")
        try s.write("draft.txt", "my draft\n")

        let result = try s.dehub("combine", "--start", start, "--end", "feature", "--onto", "main")
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(try s.read(s.work + "/.dehub/config.yml").hasSuffix("# a local note\n"), "local edit lost")
        #expect(try s.read(s.work + "/draft.txt") == "my draft\n", "untracked file lost")
        #expect(try s.read(s.work + "/t.txt") == "t\n", "the work tree follows main")
    }

    @Test func refusesWhenTheCheckedOutBranchHasStagedChanges() throws {
        let (s, team, root) = try world()
        let start = try s.change("Thread work", by: team.a, files: ["t.txt": "t\n"])
        try s.credential(start: start, by: team.b)
        try s.git("switch", "-q", "main")
        try s.write("staged.txt", "staged\n")
        try s.git("add", "staged.txt")
        let result = try s.dehub("combine", "--start", start, "--end", "feature", "--onto", "main")
        #expect(result.exitCode == 65, "\(result.transcript)")
        #expect(result.stderrText.contains("has staged changes"), "\(result.transcript)")
        #expect(try s.head("main") == root)
        #expect(try s.git("diff", "--cached", "--name-only") == "staged.txt")
    }
}
