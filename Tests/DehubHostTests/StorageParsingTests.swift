import DehubCore
import Foundation
import Testing

@testable import DehubHost

@Suite("Settings, keys and token files")
struct StorageParsingTests {
    static let ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHvvw1x02EaqaKKXr3yssuJUemUHQJdwkwwMPj7JbD5j"

    @Test func defaultConfigFileParsesToDefaults() throws {
        #expect(try HostConfig.parse(HostConfig.defaultFileText).get() == HostConfig())
    }

    @Test func configValues() throws {
        let config = try HostConfig.parse(
            """
            push_policy: members   # comment
            max_push_bytes: 1000
            anonymous_ssh_user: "anon"
            ssh_url_base: ssh://git@example.org:2222
            http_url_base: 'https://example.org'
            """
        ).get()
        #expect(config.pushPolicy == .members)
        #expect(config.maxPushBytes == 1000)
        #expect(config.anonymousSSHUser == "anon")
        #expect(config.sshURLBase == "ssh://git@example.org:2222")
        #expect(config.httpURLBase == "https://example.org")
    }

    @Test(
        "config errors",
        arguments: [
            ("push_policy: closed", "host config line 1: push_policy must be open or members"),
            ("push_polic: open", "host config line 1: unknown key 'push_polic'"),
            ("push_policy: open\npush_policy: members", "host config line 2: duplicate key 'push_policy'"),
            ("max_push_bytes: -1", "host config line 1: max_push_bytes must be a positive integer"),
            ("max_push_bytes: 0x10", "host config line 1: max_push_bytes must be a positive integer"),
            ("max_git_processes: lots", "host config line 1: max_git_processes must be a positive integer"),
            ("limits:\n  a: 1", "host config line 1: unknown key 'limits'"),
            ("push_policy: &a open", "host config line 1: anchors (&name) are not allowed"),
            ("push_policy: [open]", "host config line 1: the value of push_policy is not a plain scalar"),
            ("just words", "host config line 1: expected `key: value` lines"),
            ("max_git_processes: \"8\"", "host config line 1: max_git_processes must be a positive integer"),
            ("anonymous_ssh_user: a b", "host config line 1: anonymous_ssh_user must be a plain user name"),
        ])
    func configErrors(text: String, message: String) {
        guard case .failure(let error) = HostConfig.parse(text) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.message == message)
    }

    @Test func keyIdentity() throws {
        let key = try #require(SSHKeyIdentity(openSSHLine: Self.ed25519 + " alice@laptop"))
        #expect(key.algorithm == "ssh-ed25519")
        #expect(key.openSSHLine == Self.ed25519)
        #expect(key.fingerprint.hasPrefix("SHA256:"))
        #expect(SSHKeyIdentity(openSSHLine: Self.ed25519) == key)
    }

    @Test(
        "malformed keys",
        arguments: [
            "", "ssh-ed25519", "ssh-ed25519 !!!", "ssh-dss AAAAB3NzaC1kc3M=",
            // blob says ssh-rsa but the line says ssh-ed25519
            "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7",
            "ssh-ed25519 AAAA",
        ])
    func malformedKeys(line: String) {
        #expect(SSHKeyIdentity(openSSHLine: line) == nil)
    }

    @Test func authorizedKeysFile() {
        let keys = AuthorizedKeysFile.parse(
            """
            # admins
            \(Self.ed25519) alice

            restrict,command="x" \(Self.ed25519) alice again
            garbage line
            """)
        #expect(keys.count == 2)
        #expect(keys.allSatisfy { $0.openSSHLine == Self.ed25519 })
    }

    @Test func tokenHashesAndParse() throws {
        let hash = TokenStore.hash("dehub_abc")
        #expect(hash.count == 71)
        let entries = TokenStore.parse("# c\n\(hash) ci \(Self.ed25519)\nsha256:short x \(Self.ed25519)\n")
        #expect(entries.count == 1)
        #expect(entries.first?.name == "ci")
    }

    @Test func tokenStoreRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = TokenStore(path: dir.path + "/tokens")
        let key = try #require(SSHKeyIdentity(openSSHLine: Self.ed25519))
        let token = try store.create(name: "ci", key: key)
        #expect(token.hasPrefix("dehub_"))
        #expect(store.identity(forToken: token) == key)
        #expect(store.identity(forToken: token + "x") == nil)
        let text = try String(contentsOfFile: dir.path + "/tokens", encoding: .utf8)
        #expect(!text.contains(token))
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path + "/tokens")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: HostError.self) { try store.create(name: "ci", key: key) }
        try store.delete(name: "ci")
        #expect(store.identity(forToken: token) == nil)
    }

    @Test func memberKeysFromConfig() throws {
        let text = """
            accounts:
            - id: alice
              signifiers:
              - type: ssh_public_key
                body: \(Self.ed25519) alice@laptop
              - type: pgp_public_key_file
                path: .dehub/alice.asc
            - id: bob
              signifiers:
              - type: ssh_public_key_file
                path: .dehub/./bob.pub
              - type: ssh_public_key
                body: not a key
            """
        let config = try ConfigDecoder.decode(Array(text.utf8))
        let references = MemberKeys.references(in: config)
        #expect(references == [.inline(SSHKeyIdentity(openSSHLine: Self.ed25519)!), .file(".dehub/bob.pub")])
    }

    @Test(
        "listen addresses",
        arguments: [
            ("127.0.0.1:2222", HostAddress(host: "127.0.0.1", port: 2222) as HostAddress?),
            ("0.0.0.0:0", HostAddress(host: "0.0.0.0", port: 0)),
            ("[::1]:8080", HostAddress(host: "::1", port: 8080)),
            ("localhost", nil), (":80", nil), ("a:99999", nil), ("a:x", nil),
        ])
    func addresses(text: String, expected: HostAddress?) {
        #expect(HostAddress.parse(text) == expected)
    }
}
