import DehubTestSupport
import Foundation
import Testing

/// `dehub verify` (--rev, --range, --branch, --json, -q) and `dehub fingerprint`.
@Suite("dehub verify and fingerprint")
struct VerifyCommandTests {
    /// The strict repository, and a thread with alice's change, bob's comment and carol's credential.
    private func world() throws -> (Scenario, ScenarioTeam, [String]) {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(team.strictConfig(), signers: [team.a, team.b])
        try s.git("switch", "-q", "-c", "feature")
        let change = try s.change("Add a file", by: team.a, files: ["f.txt": "f\n"])
        let comment = try s.comment("Fine by me", by: team.b)
        let credential = try s.credential(start: change, by: team.c)
        return (s, team, [change, comment, credential])
    }

    @Test func verifiesOneRevision() throws {
        let (s, _, commits) = try world()
        let result = try s.dehub("verify", "--rev", commits[0])
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(result.stdoutText == "ok \(short(commits[0])) change \"Add a file\" by alice\n", "\(result.transcript)")
    }

    @Test func verifiesARangeOldestFirst() throws {
        let (s, _, commits) = try world()
        let result = try s.dehub("verify", "--range", "main..feature")
        #expect(result.exitCode == 0, "\(result.transcript)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.transcript)")
        for (line, commit) in zip(lines, commits) { #expect(line.hasPrefix("ok \(short(commit))"), "\(line)") }
        #expect(result.stderrText.contains("3 of 3 commit(s) verified on branch 'feature'"))
    }

    @Test func judgesUnderTheRulesOfTheBranchGiven() throws {
        let (s, _, commits) = try world()
        let result = try s.dehub("verify", "--rev", commits[0], "--branch", "main")
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(result.stdoutText.isEmpty)
        #expect(result.stderrText.contains("commit \(short(commits[0])) \"Add a file\" is not verifiable on branch 'main'"))
        #expect(result.stderrText.contains("check:  access controls"), "\(result.transcript)")
        #expect(
            result.stderrText.contains(
                "access_controls[1] of .dehub/config.yml needs credentials from 2 of [alice, bob, carol]; verified: alice"),
            "\(result.transcript)")
        #expect(result.stderrText.contains("next:"), "\(result.transcript)")
    }

    @Test func printsJSONThatParses() throws {
        let (s, _, commits) = try world()
        let ok = try s.dehub("verify", "--range", "main..feature", "--json")
        #expect(ok.exitCode == 0, "\(ok.transcript)")
        let verdicts = try #require(try JSONSerialization.jsonObject(with: Data(ok.stdout)) as? [[String: Any]])
        #expect(verdicts.map { $0["commit"] as? String } == commits)
        #expect(verdicts.map { $0["verified"] as? Bool } == [true, true, true])
        #expect(verdicts.map { $0["payload_type"] as? String } == ["change", "comment", "credential"])
        #expect(verdicts.map { $0["verified_accounts"] as? [String] } == [["alice"], ["bob"], ["carol"]])
        #expect(verdicts.allSatisfy { $0["branch"] as? String == "feature" })

        let refused = try s.dehub("verify", "--rev", commits[0], "--branch", "main", "--json")
        #expect(refused.exitCode == 1, "\(refused.transcript)")
        let verdict = try #require((try JSONSerialization.jsonObject(with: Data(refused.stdout)) as? [[String: Any]])?.first)
        #expect(verdict["verified"] as? Bool == false)
        #expect(verdict["check"] as? String == "access controls")
        let unmet = try #require((verdict["unmet_signatures"] as? [[String: Any]])?.first)
        #expect(unmet["required"] as? Int == 2)
        #expect(unmet["counting_accounts"] as? [String] == ["alice", "bob", "carol"])
        #expect(unmet["signed_accounts"] as? [String] == ["alice"])
        let credentials = try #require(verdict["credentials"] as? [[String: Any]])
        #expect(credentials.first?["kind"] as? String == "ssh")
        #expect(credentials.first?["verified"] as? Bool == true)
    }

    @Test func quietPrintsOnlyFailures() throws {
        let (s, _, _) = try world()
        let result = try s.dehub("verify", "-q", "--range", "main..feature")
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(result.stdoutText.isEmpty, "\(result.transcript)")
    }

    @Test func defaultsToHEADOnTheCheckedOutBranch() throws {
        let (s, _, commits) = try world()
        let result = try s.dehub("verify")
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(result.stdoutText.hasPrefix("ok \(short(commits[2])) credential"), "\(result.transcript)")
    }

    @Test func refusesAPlainGitCommit() throws {
        let (s, _, _) = try world()
        try s.write("plain.txt", "p\n")
        try s.git("add", "plain.txt")
        try s.git("commit", "-q", "-m", "A plain commit")
        let result = try s.dehub("verify")
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(result.stderrText.contains("check:  payload"), "\(result.transcript)")
        #expect(result.stderrText.contains("no payload after its head line"), "\(result.transcript)")
    }

    @Test func refusesABranchThatDoesNotDescendFromMainsRoot() throws {
        let (s, team, _) = try world()
        try s.git("switch", "-q", "--orphan", "elsewhere")
        try s.write(".dehub/config.yml", team.config().render())
        try s.change("Another root", by: team.a)
        let result = try s.dehub("verify")
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(result.stderrText.contains("does not descend from the root commit of main"), "\(result.transcript)")
    }

    @Test func fingerprintEqualsThePayloads() throws {
        let (s, _, commits) = try world()
        for commit in commits {
            let printed = try s.dehubOK("fingerprint", "--rev", commit).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(printed.count == 44 && printed.hasPrefix("A"), "\(printed)")
            #expect(try s.message(of: commit).contains("\nfingerprint: \(printed)\n"), "commit \(commit)")
        }
        // The credential carries the change's fingerprint.
        #expect(try s.dehubOK("fingerprint", "--rev", commits[2]) == s.dehubOK("fingerprint", "--rev", commits[0]))
        // The default is HEAD.
        #expect(try s.dehubOK("fingerprint") == s.dehubOK("fingerprint", "--rev", commits[2]))
    }

    @Test func fingerprintOfAPlainCommitIsADataError() throws {
        let (s, _, _) = try world()
        try s.git("commit", "-q", "--allow-empty", "-m", "plain")
        let result = try s.dehub("fingerprint")
        #expect(result.exitCode == 65, "\(result.transcript)")
        #expect(result.stderrText.contains("is not a dehub commit"), "\(result.transcript)")
    }
}
