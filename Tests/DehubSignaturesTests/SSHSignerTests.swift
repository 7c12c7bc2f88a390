import DehubCore
import DehubTestSupport
import Foundation
import Testing

@testable import DehubSignatures

private let sampleMessage = SSHSharedKeys.sampleMessage

@Suite("SSH signers")
struct SSHSignerTests {
    let keys = SSHSharedKeys.shared
    let verifier = SSHSignatureVerifier()

    @Test func ed25519SignerOutputVerifiesWithSSHKeygen() throws {
        let signer = Ed25519SSHSigner(comment: "bench@dehub.test")
        #expect(signer.publicKeyLine.hasPrefix("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"))
        #expect(signer.publicKeyLine.hasSuffix(" bench@dehub.test"))
        let blob = try signer.sign(sampleMessage)
        try verifier.verify(signature: blob, over: sampleMessage, publicKey: signer.publicKey)
        #expect(try keys.workspace.keygenVerifies(
            sampleMessage, armoredSignature: SSHSignatureArmor.armor(blob), publicKeyLine: signer.publicKeyLine))
        let git = try signer.sign(sampleMessage, namespace: "git")
        #expect(try !keys.workspace.keygenVerifies(
            sampleMessage, armoredSignature: SSHSignatureArmor.armor(git), publicKeyLine: signer.publicKeyLine))
    }

    @Test func ed25519SignerIsDeterministicForAGivenKey() throws {
        let signer = Ed25519SSHSigner()
        let again = Ed25519SSHSigner(privateKey: try .init(rawRepresentation: signer.privateKey.rawRepresentation))
        #expect(again.publicKey == signer.publicKey)
        try verifier.verify(signature: try again.sign(sampleMessage), over: sampleMessage, publicKey: signer.publicKey)
    }

    @Test("ssh-keygen signer with a private key file", arguments: SSHTestKeyType.allCases)
    func keygenSignerWithKeyFile(type: SSHTestKeyType) async throws {
        let made = keys.key(type)
        let blob = try await SSHKeygenSigner.sign(sampleMessage, keyFile: made.privateKeyPath, environment: keys.workspace.environment)
        try verifier.verify(signature: blob, over: sampleMessage, publicKey: try SSHPublicKey(line: made.publicKeyLine))
    }

    @Test func keygenSignerThroughSSHAgent() async throws {
        let workspace = try SSHTestWorkspace()
        let made = try workspace.makeKey(.ed25519, name: "agent_key")
        let key = try SSHPublicKey(line: made.publicKeyLine)
        let socket = try workspace.startAgent()
        let env = workspace.environment.merging(["SSH_AUTH_SOCK": socket]) { _, new in new }
        #expect(try await SSHKeygenSigner.agentKeys(environment: env).isEmpty)
        try workspace.addToAgent(made, socket: socket)
        #expect(try await SSHKeygenSigner.agentKeys(environment: env) == [key])

        // Only the public half is on disk from here on: signing must go through the agent.
        try FileManager.default.removeItem(atPath: made.privateKeyPath)
        let blob = try await SSHKeygenSigner.sign(sampleMessage, keyFile: made.publicKeyPath, environment: env)
        try verifier.verify(signature: blob, over: sampleMessage, publicKey: key)

        let empty = workspace.path("empty-ssh-dir")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let byKey = try await SSHKeygenSigner.sign(sampleMessage, as: key, sshDirectory: empty, environment: env)
        try verifier.verify(signature: byKey, over: sampleMessage, publicKey: key)
    }

    @Test func signAsKeyFindsThePrivateKeyFile() async throws {
        let made = keys.key(.ecdsa256)
        let key = try SSHPublicKey(line: made.publicKeyLine)
        let blob = try await SSHKeygenSigner.sign(
            sampleMessage, as: key, sshDirectory: keys.workspace.directory, environment: keys.workspace.environment)
        try verifier.verify(signature: blob, over: sampleMessage, publicKey: key)

        let stranger = Ed25519SSHSigner().publicKey
        await #expect(throws: SSHSigningError("no private key for \(stranger.fingerprint) in ssh-agent or in /nonexistent")) {
            _ = try await SSHKeygenSigner.sign(sampleMessage, as: stranger, sshDirectory: "/nonexistent",
                                               environment: keys.workspace.environment)
        }
    }

    @Test func privateKeyFileMatching() throws {
        let directory = keys.workspace.directory
        for type in SSHTestKeyType.allCases {
            let made = keys.key(type)
            #expect(SSHKeygenSigner.privateKeyFile(matching: try SSHPublicKey(line: made.publicKeyLine), in: directory)
                == made.privateKeyPath)
        }
        #expect(SSHKeygenSigner.privateKeyFile(matching: Ed25519SSHSigner().publicKey, in: directory) == nil)
        #expect(SSHKeygenSigner.privateKeyFile(matching: Ed25519SSHSigner().publicKey, in: "/nonexistent") == nil)
    }

    @Test func keygenFailureIsReported() async throws {
        await #expect(throws: SSHSigningError.self) {
            _ = try await SSHKeygenSigner.sign(sampleMessage, keyFile: "/nonexistent/id_ed25519")
        }
        do {
            _ = try await SSHKeygenSigner.sign(sampleMessage, keyFile: "/nonexistent/id_ed25519")
        } catch let error as SSHSigningError {
            #expect(error.message.hasPrefix("ssh-keygen failed: "))
            #expect(error.message.contains("/nonexistent/id_ed25519"))
        }
    }

    @Test func missingSSHKeygenIsReported() async throws {
        await #expect(throws: SSHSigningError("ssh-keygen-missing not found: install openssh-client")) {
            _ = try await SSHKeygenSigner.sign(sampleMessage, keyFile: "k", sshKeygen: "ssh-keygen-missing")
        }
    }
}
