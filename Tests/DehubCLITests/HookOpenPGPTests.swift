import DehubTestSupport
import Foundation
import Testing

/// The hook with OpenPGP accounts: main needs 2 of [dave (Ed25519, inline key), erin (RSA-3072, key file)].
@Suite("pre-receive hook: OpenPGP accounts")
struct HookOpenPGPTests {
    @Test func acceptsAndRefusesOnOpenPGPCredentials() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let pgp = PGPTestKeys.shared
        try s.importSecretKey(pgp.ed25519)
        try s.importSecretKey(pgp.rsa3072)
        var config = team.config(accessControls: ScenarioConfig.mainNeeds(2, of: ["dave", "erin"]))
        config.accounts.append(.init("dave", [.pgp(pgp.ed25519.publicArmored)]))
        config.accounts.append(.init("erin", [.pgpFile(".dehub/erin.asc")]))
        let dave = ScenarioSigner("dave"), erin = ScenarioSigner("erin")
        try s.bootstrap(config, extraFiles: [".dehub/erin.asc": pgp.rsa3072.publicArmored], signers: [dave, erin])
        try s.makeServer()
        expectAccepted(try s.push("origin", "main"))

        // dave and erin: accepted.
        let tip = try s.landOnMain("PGP reviewed", files: ["p.txt": "p\n"], author: dave, reviewers: [erin])
        let message = try s.message(of: tip)
        #expect(message.containsKeyID(pgp.ed25519.keyID) && message.containsKeyID(pgp.rsa3072.keyID))
        expectAccepted(try s.push("origin", "main"))
        #expect(try s.serverRef("refs/heads/main") == tip)

        // alice (SSH) and dave: alice does not count on main.
        let refused = try s.landOnMainUnverified("Alice and dave", files: ["q.txt": "q\n"], author: team.a, reviewers: [dave])
        expectRefused(
            try s.push("origin", "main"), "needs credentials from 2 of [dave, erin]; verified: dave",
            "verified credentials: alice, dave")
        #expect(try !s.serverHasObject(refused))

        // erin's signature moved to another change does not verify.
        try s.git("reset", "-q", "--hard", tip)
        try s.git("switch", "-q", "-c", "feature")
        let donor = try s.change("Donor", by: erin, files: ["d.txt": "d\n"])
        let target = try s.change("Target", by: dave, files: ["t.txt": "t\n"])
        let forged = try s.craft(
            message: s.message(of: target)
                + Scenario.credentials(in: s.message(of: donor)).replacingOccurrences(of: "credentials:\n", with: ""),
            parents: [donor])
        expectRefused(try s.push("origin", "feature"), "check:  credentials", "credentials[1] (pgp, account erin)")
        #expect(try !s.serverHasObject(forged))
    }
}

extension Scenario {
    /// Like `landOnMain`, but with `combine --no-verify`: main moves locally even when its rules are not met.
    fileprivate func landOnMainUnverified(
        _ description: String, files: [String: String], author: ScenarioSigner,
        reviewers: [ScenarioSigner]
    ) throws -> String {
        try git("switch", "-q", "-c", "landing", "main")
        let start = try change(description, by: author, files: files)
        for reviewer in reviewers { try credential(start: start, by: reviewer) }
        try dehubOK("combine", "--start", start, "--end", "landing", "--onto", "main", "--no-verify")
        try git("checkout", "-q", "-f", "main")
        try git("branch", "-q", "-D", "landing")
        return try head("main")
    }
}
