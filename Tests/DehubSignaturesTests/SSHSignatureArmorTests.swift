import DehubCore
import DehubTestSupport
import Testing

@testable import DehubSignatures

private let sampleMessage = SSHSharedKeys.sampleMessage

@Suite("SSH signature armour")
struct SSHSignatureArmorTests {
    @Test("armour is byte-identical to ssh-keygen's", arguments: [SSHTestKeyType.ed25519, .rsa3072])
    func matchesSSHKeygen(type: SSHTestKeyType) throws {
        let keys = SSHSharedKeys.shared
        let armored = try keys.workspace.keygenSign(sampleMessage, keyFile: keys.key(type).privateKeyPath)
        let blob = try SSHSignatureArmor.dearmor(armored)
        #expect(SSHSignatureArmor.armor(blob) == armored)
    }

    @Test func toleratesCRLFAndSurroundingBlanks() throws {
        let blob = Array(0..<200).map { UInt8($0) }
        let armored = SSHSignatureArmor.armor(blob)
        #expect(try SSHSignatureArmor.dearmor(armored) == blob)
        #expect(try SSHSignatureArmor.dearmor("\n  " + armored.replacingOccurrences("\n", "\r\n") + "\n\n") == blob)
    }

    @Test("rejects broken armour", arguments: [
        ("", "SSH signature does not start with '-----BEGIN SSH SIGNATURE-----'"),
        ("hello\n-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n",
         "SSH signature does not start with '-----BEGIN SSH SIGNATURE-----'"),
        ("-----BEGIN SSH SIGNATURE-----\nAAAA\n", "SSH signature does not end with '-----END SSH SIGNATURE-----'"),
        ("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\ntrailer\n",
         "SSH signature does not end with '-----END SSH SIGNATURE-----'"),
        ("-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n", "SSH signature armour is empty"),
        ("-----BEGIN SSH SIGNATURE-----\nAA*A\n-----END SSH SIGNATURE-----\n", "SSH signature armour has bad base64"),
        ("-----BEGIN PGP SIGNATURE-----\nAAAA\n-----END PGP SIGNATURE-----\n",
         "SSH signature does not start with '-----BEGIN SSH SIGNATURE-----'"),
    ])
    func rejects(text: String, message: String) {
        #expect(throws: SignatureFailure(message)) { try SSHSignatureArmor.dearmor(text) }
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
