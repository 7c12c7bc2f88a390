import DehubTestSupport
import Foundation
import Testing

/// Credentials bound to their project (`bind_credentials: true`, format §6.7), with real repositories, real
/// ssh-keygen keys and the real hook.
@Suite("credentials bound to their project")
struct CredentialBindingTests {
    static let boundPrefixHex = Array("dehub bound credential v1".utf8).map { String(format: "%02x", $0) }.joined() + "00"

    /// Project A: alice and bob land "Add payload.txt" on main (2 of 3 needed), with `bound` configs or not.
    /// Returns the scenario, the team and the landed commit.
    private func projectA(bound: Bool) throws -> (Scenario, ScenarioTeam, String) {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let config = bound ? team.strictConfig().bound : team.strictConfig()
        try s.bootstrap(config, signers: [team.a, team.b])
        let landed = try s.landOnMain("Add payload.txt", files: ["payload.txt": "run me\n"], author: team.a, reviewers: [team.b])
        return (s, team, landed)
    }

    /// The attack: the same accounts (same keys) guard project B, a different history. Anyone copies A's signed
    /// change verbatim onto B's main (same description, same file, so the same fingerprint) and pushes it.
    @Test(
        "a change alice and bob signed for project A is pushed verbatim to project B",
        arguments: [true, false])
    func crossProjectReplay(bound: Bool) throws {
        let (a, team, landed) = try projectA(bound: bound)
        let message = try a.message(of: landed)

        let b = try Scenario()
        let config = bound ? team.strictConfig().bound : team.strictConfig()
        // B's root differs from A's: another README next to the same config.
        try b.bootstrap(config, extraFiles: ["README.md": "project B\n"], signers: [team.a, team.b])
        try b.makeServer()
        expectAccepted(try b.push("-q", "origin", "main"))
        try b.write("payload.txt", "run me\n")
        let replayed = try b.craft(message: message)
        #expect(try b.payloadFingerprint(of: replayed) == a.payloadFingerprint(of: landed), "same fingerprint in both projects")

        let verified = try b.dehub("verify", "--rev", replayed, "--branch", "main")
        let pushed = try b.push("origin", "main")
        if bound {
            #expect(verified.exitCode == 1, "\(verified.transcript)")
            expectRefused(pushed, "check:  credentials", "2 credential(s) did not verify")
            #expect(try b.serverRef("refs/heads/main") != replayed)
        } else {
            // Format v0 (no bind_credentials): the replay is accepted, as docs/threat-model.md says.
            #expect(verified.exitCode == 0, "\(verified.transcript)")
            expectAccepted(pushed)
            #expect(try b.serverRef("refs/heads/main") == replayed)
        }
    }

    /// The whole workflow under a bound config: change, comment and credentials on a thread, combine, verify and
    /// push; the signed bytes are the bound message of format §6.7, checked with `ssh-keygen -Y verify`.
    @Test func commitCommentCredentialAndCombineRoundTrip() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let root = try s.bootstrap(team.strictConfig().bound, signers: [team.a, team.b])
        try s.makeServer()
        expectAccepted(try s.push("-q", "origin", "main"))
        try s.git("switch", "-q", "-c", "feature")
        let start = try s.change("Bound change", by: team.a, files: ["bound.txt": "bound\n"])
        try s.comment("Looks right", by: team.b)
        try s.credential(start: start, end: "HEAD", by: team.b)
        try s.credential(start: start, end: "HEAD", by: team.c)
        expectAccepted(try s.push("-q", "origin", "feature"))
        let thread = try s.dehub("verify", "--range", "main..feature")
        #expect(thread.exitCode == 0, "\(thread.transcript)")

        let combined = try s.dehubOK("combine", "--start", start, "--end", "feature", "--onto", "main")
        #expect(combined.contains("credentials: alice, bob, carol"), "\(combined)")
        expectAccepted(try s.push("-q", "origin", "main"))
        let all = try s.dehub("verify", "--all", "--branch", "main")
        #expect(all.exitCode == 0, "\(all.transcript)")

        // What was signed: prefix ++ root commit id ++ fingerprint, and ssh-keygen agrees.
        let fingerprint = try s.payloadFingerprint(of: "main")
        let signedHex = try s.dehubOK("fingerprint", "--rev", "main", "--signed-message")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let fingerprintHex = Data(base64Encoded: fingerprint)!.map { String(format: "%02x", $0) }.joined()
        #expect(signedHex == Self.boundPrefixHex + root + fingerprintHex)
        try expectSSHKeygenAccepts(s, commit: "main", signedHex: signedHex, key: team.bob, account: "bob")
    }

    /// The root commit cannot name its own id: its credentials bind to twenty zero bytes, and the bootstrap
    /// (alice's root on a thread, bob's credential for it, combined onto the empty main) still works.
    @Test func rootCommitBindsToZero() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let root = try s.bootstrap(team.strictConfig().bound, signers: [team.a, team.b])
        let verified = try s.dehub("verify", "--rev", root, "--branch", "main")
        #expect(verified.exitCode == 0, "\(verified.transcript)")
        #expect(verified.stdoutText.contains("by alice, bob"), "\(verified.transcript)")
        let signedHex = try s.dehubOK("fingerprint", "--rev", root, "--signed-message").trimmingCharacters(
            in: .whitespacesAndNewlines)
        let fingerprintHex = Data(base64Encoded: try s.payloadFingerprint(of: root))!.map { String(format: "%02x", $0) }.joined()
        #expect(signedHex == Self.boundPrefixHex + String(repeating: "00", count: 20) + fingerprintHex)
        try expectSSHKeygenAccepts(s, commit: root, signedHex: signedHex, key: team.alice, account: "alice")
    }

    /// An existing v0 project turns binding on, as format §6.7 describes: the reviewer's credential is made on main's
    /// tip (under the old config), the config change goes on top of it, the range is combined; later changes sign
    /// the bound form, and the whole history verifies.
    @Test func aV0ProjectTurnsBindingOn() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(team.strictConfig(), signers: [team.a, team.b])
        try s.makeServer()
        expectAccepted(try s.push("-q", "origin", "main"))
        try s.git("switch", "-q", "-c", "upgrade")
        let change = try s.change(
            "Bind credentials", by: team.a, files: [".dehub/config.yml": team.strictConfig().bound.render()])
        try s.git("switch", "-q", "-c", "review", "main")
        let credential = try s.credential(start: change, by: team.b)
        try s.write(".dehub/config.yml", team.strictConfig().bound.render())
        try s.craft(message: try s.message(of: change))
        let combined = try s.dehubOK("combine", "--start", credential, "--end", "review", "--onto", "main")
        #expect(combined.contains("credentials: alice, bob"), "\(combined)")
        try s.git("checkout", "-q", "-f", "main")
        try s.landOnMain("After binding", files: ["after.txt": "bound\n"], author: team.a, reviewers: [team.c])
        expectAccepted(try s.push("-q", "origin", "main"))
        let all = try s.dehub("verify", "--all", "--branch", "main")
        #expect(all.exitCode == 0, "\(all.transcript)")
        let signedHex = try s.dehubOK("fingerprint", "--rev", "main", "--signed-message").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(signedHex.hasPrefix(Self.boundPrefixHex), "the change after the upgrade signs the bound form")
        let before = try s.dehubOK("fingerprint", "--rev", "main~1", "--signed-message").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(before.count == 66, "the upgrade itself is judged, and signed, by the old rules: \(before)")
    }

    /// OpenPGP signs the bound message too (binary, with its NUL byte, through gpgme), and it verifies in-process;
    /// a cross-project copy of it fails like an SSH one.
    @Test func openPGPCredentialsBindToo() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let pgp = PGPTestKeys.shared
        var config = team.config().bound
        config.accounts.append(.init("dave", [.pgp(pgp.ed25519.publicArmored)]))
        try s.bootstrap(config, signers: [team.a])
        try s.importSecretKey(pgp.ed25519)
        try s.git("switch", "-q", "-c", "feature")
        let change = try s.change("Dave's bound change", by: ScenarioSigner("dave"), files: ["d.txt": "d\n"])
        #expect(try s.message(of: change).contains("type: pgp_signature"))
        let verified = try s.dehub("verify", "--rev", change)
        #expect(verified.exitCode == 0, "\(verified.transcript)")
        #expect(verified.stdoutText.contains("by dave"), "\(verified.transcript)")

        let other = try Scenario()
        try other.bootstrap(config, extraFiles: ["README.md": "another project\n"], signers: [team.a])
        try other.git("switch", "-q", "-c", "feature")
        try other.write("d.txt", "d\n")
        let copied = try other.craft(message: try s.message(of: change))
        let refused = try other.dehub("verify", "--rev", copied)
        #expect(refused.exitCode == 1, "\(refused.transcript)")
        #expect(refused.stderrText.contains("credentials[0] (pgp, account dave)"), "\(refused.transcript)")
    }

    /// A credential over the bare fingerprint (how v0 signs) is refused once the config binds credentials.
    @Test func unboundCredentialRefusedUnderABoundConfig() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(team.strictConfig().bound, signers: [team.a, team.b])
        try s.git("switch", "-q", "-c", "feature")
        let signed = try s.change("Signed the old way", by: team.a, files: ["o.txt": "o\n"])
        let message = try s.message(of: signed)
        let credential = try s.handMadeSSHCredential(
            fingerprint: try s.payloadFingerprint(of: signed), key: team.bob, account: "bob")
        let crafted = try s.craft(
            message: Scenario.replacingCredentials(in: message, with: "credentials:\n" + credential),
            parents: [try s.head("HEAD^")])
        let result = try s.dehub("verify", "--rev", crafted)
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(result.stderrText.contains("credentials[0] (ssh, account bob)"), "\(result.transcript)")
    }

    /// `ssh-keygen -Y verify` accepts the credential of `account` on `commit` over the bytes `signedHex`.
    private func expectSSHKeygenAccepts(
        _ s: Scenario, commit: String, signedHex: String, key: SSHTestKey, account: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let message = try s.message(of: commit)
        let lines = message.split(separator: "\n").map(String.init)
        guard let at = lines.firstIndex(of: "  account: \(account)"), at > 0, lines[at - 1].hasPrefix("  body: ") else {
            Issue.record("no credential of \(account) in \(message)", sourceLocation: sourceLocation)
            return
        }
        let body = String(lines[at - 1].dropFirst("  body: ".count))
        var armored = "-----BEGIN SSH SIGNATURE-----\n"
        var rest = Substring(body)
        while !rest.isEmpty { armored += rest.prefix(70) + "\n"; rest = rest.dropFirst(70) }
        armored += "-----END SSH SIGNATURE-----\n"
        let dir = s.directory.appending("sshsig-\(account)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try armored.write(toFile: dir + "/sig", atomically: true, encoding: .utf8)
        try "\(account) \(key.publicKeyLine)\n".write(toFile: dir + "/allowed", atomically: true, encoding: .utf8)
        var bytes: [UInt8] = []
        var hex = Array(signedHex.utf8)[...]
        while hex.count >= 2 {
            bytes.append(UInt8(String(decoding: hex.prefix(2), as: UTF8.self), radix: 16)!); hex = hex.dropFirst(2)
        }
        let result = try s.run(
            "ssh-keygen", ["-Y", "verify", "-f", dir + "/allowed", "-I", account, "-n", "dehub", "-s", dir + "/sig"], stdin: bytes
        )
        #expect(result.exitCode == 0, "ssh-keygen -Y verify: \(result.transcript)", sourceLocation: sourceLocation)
    }
}
