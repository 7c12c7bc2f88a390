import DehubTestSupport
import Foundation
import Testing

/// `dehub commit` signing with OpenPGP secret keys in the scenario's GNUPGHOME: an account whose key is inline
/// (`pgp_public_key`, Ed25519), one whose key is a file in the tree (`pgp_public_key_file`, RSA-3072), and
/// anonymous credentials.
@Suite("dehub commit with OpenPGP keys")
struct CommitOpenPGPTests {
    static let threadCredentialsNeedNoAccount = """
        - action: allow
          filters:
          - {type: not, filter: {type: branch, pattern: main}}
          - {type: payload_type, payload_type: credential}

        """

    /// alice (SSH) bootstraps a config with dave (inline Ed25519 OpenPGP key) and erin (RSA-3072 key file).
    private func world() throws -> (Scenario, ScenarioTeam, PGPTestKeys) {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let pgp = PGPTestKeys.shared
        var config = team.config(accessControls: Self.threadCredentialsNeedNoAccount)
        config.accounts.append(.init("dave", [.pgp(pgp.ed25519.publicArmored)]))
        config.accounts.append(.init("erin", [.pgpFile(".dehub/keys/erin.asc")]))
        try s.bootstrap(config, extraFiles: [".dehub/keys/erin.asc": pgp.rsa3072.publicArmored], signers: [team.a])
        try s.git("switch", "-q", "-c", "feature")
        return (s, team, pgp)
    }

    @Test func signsWithAnInlineEd25519Key() throws {
        let (s, _, pgp) = try world()
        try s.importSecretKey(pgp.ed25519)
        let change = try s.change("Dave's change", by: ScenarioSigner("dave"), files: ["d.txt": "d\n"])
        let message = try s.message(of: change)
        #expect(message.contains("type: pgp_signature"), "\(message)")
        #expect(message.containsKeyID(pgp.ed25519.keyID), "\(message)")
        #expect(message.contains("account: dave"), "\(message)")
        let verified = try s.dehub("verify", "--rev", change)
        #expect(verified.exitCode == 0, "\(verified.transcript)")
        #expect(verified.stdoutText.contains("by dave"), "\(verified.transcript)")
    }

    @Test func signsWithAnRSAKeyFromAKeyFile() throws {
        let (s, team, pgp) = try world()
        try s.importSecretKey(pgp.rsa3072)
        let change = try s.change("Alice's change", by: team.a, files: ["a.txt": "a\n"])
        let credential = try s.credential(start: change, by: ScenarioSigner("erin"))
        #expect(try s.message(of: credential).containsKeyID(pgp.rsa3072.keyID))
        let verified = try s.dehub("verify", "--range", "main..feature")
        #expect(verified.exitCode == 0, "\(verified.transcript)")
        #expect(verified.stdoutText.contains("credential \"Credential of erin\" by erin"), "\(verified.transcript)")
    }

    @Test func saysWhenTheSecretKeyIsNotInTheKeyring() throws {
        let (s, _, _) = try world()
        let result = try s.dehub("commit", "--as", "dave", "comment", "--comment", "no secret key")
        #expect(result.exitCode == 69, "\(result.transcript)")
        #expect(result.stderrText.contains("no OpenPGP secret key of account 'dave'"), "\(result.transcript)")
    }

    @Test func makesAnAnonymousCredential() throws {
        let (s, team, pgp) = try world()
        try s.importSecretKey(pgp.stranger)
        let change = try s.change("Alice's change", by: team.a, files: ["a.txt": "a\n"])
        try s.dehubOK("commit", "--anon-pgp-key", pgp.stranger.keyID, "credential", "--start", change)
        let credential = try s.head()
        let message = try s.message(of: credential)
        #expect(try s.git("log", "-1", "--format=%s", credential) == "Credential of anonymous")
        #expect(message.contains("pub_key_body: |"), "\(message)")
        #expect(message.contains("BEGIN PGP PUBLIC KEY BLOCK"), "\(message)")
        #expect(!message.contains("account:"), "\(message)")

        // It verifies (the config allows credential commits on threads), and counts for no account.
        let json = try s.dehub("verify", "--rev", credential, "--json")
        #expect(json.exitCode == 0, "\(json.transcript)")
        let verdicts = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [[String: Any]])
        let credentials = try #require(verdicts.first?["credentials"] as? [[String: Any]])
        #expect(credentials.count == 1)
        #expect(credentials.first?["verified"] as? Bool == true)
        #expect(credentials.first?["account"] is NSNull || credentials.first?["account"] == nil)
        #expect((verdicts.first?["verified_accounts"] as? [String]) == [])
    }

    @Test func refusesAnonymousSigningWithAKeyNotInTheKeyring() throws {
        let (s, team, pgp) = try world()
        let change = try s.change("Alice's change", by: team.a, files: ["a.txt": "a\n"])
        let result = try s.dehub("commit", "--anon-pgp-key", pgp.stranger.keyID, "credential", "--start", change)
        #expect(result.exitCode == 69, "\(result.transcript)")
        #expect(result.stderrText.contains(pgp.stranger.keyID), "\(result.transcript)")
    }
}
