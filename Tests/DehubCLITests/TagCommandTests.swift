import DehubTestSupport
import Foundation
import Testing

/// `dehub tag` and `dehub verify --tag` on the command line: usage errors (64), what does not exist (66), and what
/// the commands say and write.
@Suite("dehub tag and verify --tag")
struct TagCommandTests {
    static let usageErrors: [[String]] = [
        ["tag", "v1.0"],
        ["tag", "a..b", "--as", "alice"],
        ["tag", "v1.0", "--propose", "release/v1.0", "--as", "alice"],
        ["tag", "v1.0", "--add-credential", "--from", "origin/x", "--as", "alice"],
        ["tag", "v1.0", "--add-credential", "--rev", "HEAD", "--as", "alice"],
        ["tag", "v1.0", "--from", "x", "--sign-key", "/k"],
        ["verify", "--tag", "v1.0", "--rev", "HEAD"],
        ["verify", "--tag", "a..b"],
    ]

    @Test(arguments: usageErrors)
    func exits64(_ arguments: [String]) throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(team.config(), signers: [team.a])
        let result = try s.dehub(arguments)
        #expect(result.exitCode == 64, "dehub \(arguments.joined(separator: " "))\n\(result.transcript)")
        #expect(!result.stderrText.isEmpty)
    }

    @Test func missingThingsExit66AndExistingTagsAreNotOverwritten() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(team.config(accessControls: ScenarioConfig.releasesNeed(1, of: ["alice"])), signers: [team.a])
        for arguments in [
            ["verify", "--tag", "v9"], ["tag", "v1.0", "--add-credential"] + team.a.arguments,
            ["tag", "v1.0", "--propose", "release/v1.0"], ["tag", "v1.0", "--rev", "nope"] + team.a.arguments,
            ["tag", "v1.0", "--from", "main"] + team.a.arguments,
        ] {
            let result = try s.dehub(arguments)
            #expect(result.exitCode == 66, "dehub \(arguments.joined(separator: " "))\n\(result.transcript)")
        }
        let made = try s.dehub(["tag", "v1.0", "--descr", "One"] + team.a.arguments)
        #expect(
            made.exitCode == 0 && made.stdoutText.contains("[tag v1.0 ") && made.stdoutText.contains("credentials: alice"),
            "\(made.transcript)")
        #expect(made.stderrText.contains("the rules at main accept it: git push origin refs/tags/v1.0"), "\(made.transcript)")
        let again = try s.dehub(["tag", "v1.0"] + team.b.arguments)
        #expect(again.exitCode == 65 && again.stderrText.contains("tag 'v1.0' already exists"), "\(again.transcript)")
        let twice = try s.dehub(["tag", "v1.0", "--add-credential"] + team.a.arguments)
        #expect(
            twice.exitCode == 0 && twice.stderrText.contains("already carries a credential of 'alice'"), "\(twice.transcript)")
        #expect(try s.dehubOK("verify", "--tag", "v1.0", "-q").isEmpty)
        let fingerprint = try s.dehubOK("fingerprint", "--tag", "v1.0").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try s.tagMessage("v1.0").contains("fingerprint: \(fingerprint)\n"))
        let signed = try s.dehubOK("fingerprint", "--tag", "v1.0", "--signed-message").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(signed.count == 66 && signed.hasPrefix("00"), "an unbound config signs the 33 fingerprint bytes: \(signed)")
        // A plain git tag is not a release tag: verify says why.
        try s.git("tag", "-a", "-m", "plain", "v2")
        let plain = try s.dehub("verify", "--tag", "v2")
        #expect(plain.exitCode == 1 && plain.stderrText.contains("check:  payload"), "\(plain.transcript)")
        let json = try s.dehub("verify", "--tag", "v2", "--json")
        #expect(json.exitCode == 1 && json.stdoutText.contains("\"check\" : \"payload\""), "\(json.transcript)")
    }

    /// Format §13.4: a proposal thread that holds two forms of one tag (here two descriptions) is never resolved
    /// silently; the signer picks one, and only that form's credentials are taken.
    @Test func aThreadWithTwoFormsOfATagAsksWhichOne() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(team.config(accessControls: ScenarioConfig.releasesNeed(2, of: ScenarioTeam.names)), signers: [team.a])
        for (signer, text) in [(team.a, "One"), (team.b, "Two")] {
            try s.tag("v1.0", by: signer, ["--descr", text])
            try s.dehubOK("tag", "v1.0", "--propose", "release/v1.0")
            try s.git("tag", "-d", "v1.0")
        }
        let ambiguous = try s.dehub(["tag", "v1.0", "--from", "release/v1.0"] + team.c.arguments)
        #expect(
            ambiguous.exitCode == 65 && ambiguous.stderrText.contains("proposes tag 'v1.0' in 2 different forms"),
            "\(ambiguous.transcript)")
        #expect(try s.gitResult(["rev-parse", "--verify", "-q", "refs/tags/v1.0"]).exitCode != 0, "no tag was written")
        let picked = try s.dehub(["tag", "v1.0", "--from", "release/v1.0", "--descr", "Two"] + team.c.arguments)
        #expect(picked.exitCode == 0 && picked.stdoutText.contains("credentials: bob, carol"), "\(picked.transcript)")
        #expect(try s.dehubOK("verify", "--tag", "v1.0").contains("by bob, carol"))
    }
}
