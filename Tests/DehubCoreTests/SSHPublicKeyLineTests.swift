import Testing

@testable import DehubCore

/// The one parser of OpenSSH key lines, shared by the hook (config, credentials) and the host (admins, tokens,
/// readers, members, logins).
@Suite struct SSHPublicKeyLineTests {
    /// A real `ssh-keygen -t ed25519` public key.
    static let ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"

    @Test func parsesTypeBlobAndComment() throws {
        let key = try SSHPublicKeyLine(parsing: Self.ed25519 + "  alice@laptop \n")
        #expect(key.algorithm == "ssh-ed25519")
        #expect(key.blob.count == 51)
        #expect(key.comment == "alice@laptop")
        #expect(key.canonical == Self.ed25519)
        #expect(key.fingerprint.hasPrefix("SHA256:") && !key.fingerprint.hasSuffix("="))
        #expect(try SSHPublicKeyLine(parsing: Self.ed25519) == key, "the comment plays no part")
        #expect(try SSHPublicKeyLine(parsing: "\tssh-ed25519\t" + Self.ed25519.dropFirst(12)).comment == nil)
    }

    @Test(arguments: [
        ("", "empty SSH public key"),
        ("ssh-ed25519", "SSH public key 'ssh-ed25519' has no key data"),
        ("ssh-ed25519 AAAA*AAA", "SSH public key 'ssh-ed25519' has bad base64 key data"),
        (
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJ",
            "SSH public key 'ssh-ed25519' has bad base64 key data"
        ),
        (
            "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
            "SSH public key line says 'ssh-rsa' but its key data is 'ssh-ed25519'"
        ),
        ("ssh-ed25519 AAAA", "SSH public key line says 'ssh-ed25519' but its key data is not an SSH key"),
        ("ssh-ed25519 AAAA\nssh-ed25519 AAAA", "SSH public key must be a single line"),
    ])
    func refusals(line: String, message: String) {
        #expect(throws: SSHPublicKeyLine.Malformed(message: message)) { try SSHPublicKeyLine(parsing: line) }
    }

    /// Security-key types are refused until something verifies their signatures: the host must not admit a key
    /// the hook would refuse.
    @Test(arguments: ["sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-dss", "x509v3-ssh-rsa"])
    func unsupportedTypes(type: String) {
        #expect(throws: SSHPublicKeyLine.Malformed.self) { try SSHPublicKeyLine(parsing: type + " AAAA") }
    }

    @Test func oversizedKeyDataIsRefusedBeforeDecoding() {
        let huge = "ssh-rsa " + String(repeating: "A", count: 30_000)
        #expect(throws: SSHPublicKeyLine.Malformed(message: "SSH public key 'ssh-rsa' has bad base64 key data")) {
            try SSHPublicKeyLine(parsing: huge)
        }
    }
}
