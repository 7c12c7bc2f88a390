import DehubTestSupport
import Foundation
import Testing

/// Credentials made by hand with `ssh-keygen -Y sign`, as an attacker would: the right recipe is accepted (so the
/// recipe is right), and each wrong one is refused by the hook.
@Suite("pre-receive hook: hand-made credentials")
struct HookForgedCredentialTests {
    /// A thread with alice's signed change; returns its message, fingerprint and parent.
    private func world() throws -> (Scenario, ScenarioTeam, message: String, fingerprint: String, parent: String) {
        let s = try Scenario()
        let team = try s.guardedRepository()
        try s.git("switch", "-q", "-c", "feature")
        let signed = try s.change("Hand-signed", by: team.a, files: ["h.txt": "h\n"])
        return (s, team, try s.message(of: signed), try s.payloadFingerprint(of: signed), try s.head("HEAD^"))
    }

    private func pushWith(_ s: Scenario, message: String, credentials: String, parent: String) throws -> (CommandResult, String) {
        let id = try s.craft(
            message: Scenario.replacingCredentials(in: message, with: "credentials:\n" + credentials),
            parents: [parent])
        return (try s.push("--force", "origin", "feature"), id)
    }

    @Test func acceptsTheRightRecipe() throws {
        let (s, team, message, fingerprint, parent) = try world()
        let credential = try s.handMadeSSHCredential(fingerprint: fingerprint, key: team.bob, account: "bob")
        let (result, id) = try pushWith(s, message: message, credentials: credential, parent: parent)
        expectAccepted(result)
        #expect(try s.serverRef("refs/heads/feature") == id)
    }

    @Test func refusesASignatureInAnotherNamespace() throws {
        let (s, team, message, fingerprint, parent) = try world()
        // e.g. a git commit signature (namespace "git") replayed as a dehub credential.
        let credential = try s.handMadeSSHCredential(fingerprint: fingerprint, key: team.bob, account: "bob", namespace: "git")
        let (result, _) = try pushWith(s, message: message, credentials: credential, parent: parent)
        expectRefused(result, "check:  credentials", "credentials[0] (ssh, account bob)")
    }

    @Test func refusesASignatureOverTheBase64Text() throws {
        let (s, team, message, fingerprint, parent) = try world()
        let credential = try s.handMadeSSHCredential(
            fingerprint: fingerprint, key: team.bob, account: "bob", signed: Array(fingerprint.utf8))
        let (result, _) = try pushWith(s, message: message, credentials: credential, parent: parent)
        expectRefused(result, "check:  credentials")
    }

    @Test func refusesAKeyThatAddsItselfInTheSameCommit() throws {
        let (s, team, _, _, _) = try world()
        let mallory = try s.sshKey("mallory")
        var config = team.config()
        config.accounts.append(.init("mallory", [.ssh(mallory.publicKeyLine)]))
        // alice makes the change (so dehub computes its fingerprint), mallory signs it, alice's credential goes.
        let signed = try s.change("Add mallory", by: team.a, files: [".dehub/config.yml": config.render()])
        let fingerprint = try s.payloadFingerprint(of: signed)
        let credential = try s.handMadeSSHCredential(fingerprint: fingerprint, key: mallory, account: "mallory")
        let (result, _) = try pushWith(s, message: s.message(of: signed), credentials: credential, parent: s.head("HEAD^"))
        expectRefused(result, "check:  credentials", "names account 'mallory', which the governing config does not define")
    }

    @Test func refusesAStrangersKeyUnderAnAccountName() throws {
        let (s, _, message, fingerprint, parent) = try world()
        let mallory = try s.sshKey("mallory")
        let credential = try s.handMadeSSHCredential(fingerprint: fingerprint, key: mallory, account: "bob")
        let (result, _) = try pushWith(s, message: message, credentials: credential, parent: parent)
        expectRefused(result, "check:  credentials", "is not one of account 'bob''s keys")
    }

    /// bob's key in the `pub_key` field, but the signature made by mallory's key.
    @Test func refusesASignatureByAnotherKeyThanItsPubKey() throws {
        let (s, team, message, fingerprint, parent) = try world()
        let mallory = try s.sshKey("mallory")
        let malloryCredential = try s.handMadeSSHCredential(fingerprint: fingerprint, key: mallory, account: "bob")
        let bobsKey = team.bob.publicKeyLine.split(separator: " ").prefix(2).joined(separator: " ")
        let malloryKey = mallory.publicKeyLine.split(separator: " ").prefix(2).joined(separator: " ")
        let credential = malloryCredential.replacingOccurrences(of: "pub_key: " + malloryKey, with: "pub_key: " + bobsKey)
        let (result, _) = try pushWith(s, message: message, credentials: credential, parent: parent)
        expectRefused(result, "check:  credentials", "credentials[0] (ssh, account bob)")
    }
}
