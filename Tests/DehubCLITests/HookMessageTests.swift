import DehubTestSupport
import Foundation
import Testing

/// What the pusher reads when the hook refuses (`remote: dehub: ...`), and how the hook treats input that git
/// would never send.
@Suite("pre-receive hook: messages and malformed input")
struct HookMessageTests {
    @Test func namesTheBranchCommitCheckSignaturesAndNextStep() throws {
        let s = try Scenario()
        let team = try s.guardedRepository()
        let change = try s.change("Alice alone on main", by: team.a, files: ["a.txt": "a\n"])
        let result = try s.push("origin", "main")
        expectRefused(result)
        let lines = result.remoteLines
        let expected = [
            "dehub: push refused",
            "dehub: commit \(short(change)) \"Alice alone on main\" is not verifiable on branch 'main'",
            "dehub:   check:  access controls",
            "dehub:   reason: access_controls[2] of .dehub/config.yml denies this change commit on branch 'main'; "
                + "access_controls[1] of .dehub/config.yml needs credentials from 2 of [alice, bob, carol]; verified: alice; missing: bob, carol",
            "dehub:   verified credentials: alice",
            "dehub: 1 of 1 commit(s) not verifiable; nothing was updated",
        ]
        for line in expected {
            #expect(lines.contains(line), "missing line: \(line)\n\(result.transcript)")
        }
        #expect(lines.contains { $0.hasPrefix("dehub:   next:   ") && $0.contains("dehub combine") }, "\(result.transcript)")
    }

    /// Issue 9: "deny changes to main unless 2 of alice, bob, carol signed" (a deny over `not` of a signature
    /// filter) tells a lone signer what is needed, not only which entry denies.
    @Test func namesTheRequirementOfADenyUnlessRule() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(
            team.config(
                accessControls: """
                    - action: deny
                      filters:
                      - {type: branch, pattern: main}
                      - {type: not, filter: {type: signature, account_ids: [alice, bob, carol], count: 2}}

                    """), signers: [team.a, team.b])
        try s.makeServer()
        expectAccepted(try s.push("-q", "origin", "main"))
        try s.change("Alice alone on main", by: team.a, files: ["a.txt": "a\n"])
        let result = try s.push("origin", "main")
        expectRefused(
            result,
            "reason: access_controls[0] of .dehub/config.yml denies this change commit on branch 'main' "
                + "unless it carries credentials from 2 of [alice, bob, carol]; verified: alice; missing: bob, carol",
            "dehub combine")
    }

    @Test func listsEachFailedCredentialAndWhy() throws {
        let s = try Scenario()
        let team = try s.guardedRepository()
        try s.git("switch", "-q", "-c", "feature")
        let signed = try s.change("Claims bob", by: team.a, files: ["x.txt": "x\n"])
        let message = try s.message(of: signed).replacingOccurrences(of: "account: alice", with: "account: bob")
        let forged = try s.craft(message: message, parents: [s.head("HEAD^")])
        let result = try s.push("origin", "feature")
        expectRefused(
            result, "commit \(short(forged)) \"Claims bob\" is not verifiable on branch 'feature'",
            "check:  credentials", "credentials[0] (ssh, account bob): key ", "verified credentials: none")
    }

    /// Verification stops at the first refused commit (oldest first): it is explained, and the rest are counted as
    /// not checked.
    @Test func stopsAtTheFirstRefusedCommitAndCountsTheRest() throws {
        let s = try Scenario()
        _ = try s.guardedRepository()
        for i in 1...12 {
            try s.write("f\(i).txt", "\(i)\n")
            try s.git("add", "-A")
            try s.git("commit", "-q", "-m", "Plain commit \(i)")
        }
        let result = try s.push("origin", "main")
        expectRefused(
            result,
            "1 of 1 commit(s) not verifiable; 11 later commit(s) not checked "
                + "(the hook stops at the first refused commit); nothing was updated")
        let details = result.remoteLines.filter { $0.contains("is not verifiable on branch 'main'") }
        #expect(details.count == 1, "\(result.transcript)")
        #expect(details.first?.contains("\"Plain commit 1\"") == true, "oldest first: \(details)")
    }

    /// The first refused ref update ends the checks: the rest are counted, not walked.
    /// (The hook runs alone here, so that the order of the lines is the test's.)
    @Test func stopsAtTheFirstRefusedUpdateAndCountsTheRest() throws {
        let s = try Scenario()
        _ = try s.guardedRepository()
        let main = try s.head("main")
        let zero = String(repeating: "0", count: 40)
        let input = "\(zero) \(main) refs/notes/v1\n\(zero) \(main) refs/heads/one\n\(zero) \(main) refs/heads/two\n"
        let result = try s.dehub(
            ["hook", "pre-receive"], in: s.server, stdin: Array(input.utf8), environment: ["GIT_DIR": s.server])
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(result.stderrText.contains("only branches (refs/heads/*) may be pushed"), "\(result.transcript)")
        #expect(
            result.stderrText.contains("dehub: 2 later ref update(s) not checked (the hook stops at the first refusal)"),
            "\(result.transcript)")
    }

    static let malformedInputs: [(String, String)] = [
        ("garbage\n", "hook input line 1: expected '<old> <new> <ref>', got 1 field(s)"),
        ("\(zero) \(zero)  refs/heads/main\n", "got 4 field(s)"),
        ("xyz \(zero) refs/heads/main\n", "'xyz' is not a 40-digit object id"),
        ("\(zero) \(zero) main\n", "'main' is not a ref name"),
        ("\(zero) \(one) refs/heads/main\r\n", "is not a ref name"),
        ("\(zero) \(one) refs/heads/ok\ngarbage\n", "hook input line 2"),
    ]
    static let zero = String(repeating: "0", count: 40)
    static let one = String(repeating: "1", count: 40)

    @Test(arguments: malformedInputs)
    func refusesMalformedStdin(_ input: String, _ message: String) throws {
        let s = try Scenario()
        try s.dehubOK("init", "--bare", s.server, in: s.directory.path)
        let result = try s.dehub("hook", "pre-receive", in: s.server, stdin: Array(input.utf8), environment: ["GIT_DIR": "."])
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(result.stderrText.contains("dehub: push refused"), "\(result.transcript)")
        #expect(result.stderrText.contains(message), "\(result.transcript)")
    }

    @Test func refusesInputThatIsNotUTF8() throws {
        let s = try Scenario()
        try s.dehubOK("init", "--bare", s.server, in: s.directory.path)
        let input = Array("\(Self.zero) \(Self.one) refs/heads/".utf8) + [0xff, 0xfe, 0x0a]
        let result = try s.dehub("hook", "pre-receive", in: s.server, stdin: input, environment: ["GIT_DIR": "."])
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(result.stderrText.contains("not UTF-8"), "\(result.transcript)")
    }

    @Test func refusesAnUpdateToAnObjectThatDoesNotExist() throws {
        let s = try Scenario()
        _ = try s.guardedRepository()
        let main = try #require(try s.serverRef("refs/heads/main"))
        for input in [
            "\(main) \(Self.one) refs/heads/main\n", "\(Self.zero) \(Self.one) refs/heads/feature\n",
            "\(Self.one) \(main) refs/heads/feature\n",
        ] {
            let result = try s.dehub("hook", "pre-receive", in: s.server, stdin: Array(input.utf8), environment: ["GIT_DIR": "."])
            #expect(result.exitCode == 1, "\(input)\n\(result.transcript)")
            #expect(result.stderrText.contains("dehub: push refused"), "\(input)\n\(result.transcript)")
        }
    }

    @Test func acceptsEmptyInput() throws {
        let s = try Scenario()
        try s.dehubOK("init", "--bare", s.server, in: s.directory.path)
        let result = try s.dehub("hook", "pre-receive", in: s.server, environment: ["GIT_DIR": "."])
        #expect(result.exitCode == 0, "\(result.transcript)")
    }
}
