import Foundation
import Testing

@testable import DehubHost

/// The connection, phase and git-slot keys of `host-config.yml`.
@Suite("Host config: limits")
struct HostConfigLimitsTests {
    @Test("the limit keys parse, and the defaults are what docs/host.md says")
    func parse() throws {
        let text = """
            handshake_timeout_seconds: 5
            ssh_session_request_timeout_seconds: 6
            ssh_max_sessions_per_connection: 2
            max_connections: 100
            max_connections_per_address: 10
            max_unauthenticated_connections: 20
            max_unauthenticated_per_address: 3
            max_git_processes: 16
            max_git_processes_per_identity: 4
            reserved_git_processes: 6
            """
        let config = try HostConfig.parse(text).get()
        #expect(
            config.connectionLimits
                == ConnectionLimits(total: 100, perAddress: 10, unauthenticated: 20, unauthenticatedPerAddress: 3))
        #expect(config.slotLimits == SlotLimits(total: 16, reserved: 6, perOwner: 4, maxQueued: 256))
        #expect(config.handshakeTimeoutSeconds == 5 && config.sshSessionRequestTimeoutSeconds == 6)
        #expect(config.sshMaxSessionsPerConnection == 2)
        let defaults = HostConfig()
        #expect(
            defaults.connectionLimits
                == ConnectionLimits(total: 1024, perAddress: 64, unauthenticated: 256, unauthenticatedPerAddress: 32))
        #expect(defaults.slotLimits == SlotLimits(total: 32, reserved: 8, perOwner: 8, maxQueued: 256))
        // Without the key, the reserve is a quarter of the slots (so small test configs stay valid).
        #expect(try HostConfig.parse("max_git_processes: 1\n").get().slotLimits.reserved == 0)
    }

    @Test(
        "bad limit values are refused with the key's name",
        arguments: [
            ("max_connections: 0", "max_connections must be a positive integer"),
            ("handshake_timeout_seconds: 99999", "handshake_timeout_seconds must be a positive integer (at most 3600)"),
            ("reserved_git_processes: -1", "reserved_git_processes must be a non-negative integer"),
            (
                "max_git_processes: 4\nreserved_git_processes: 4",
                "reserved_git_processes (4) must be less than max_git_processes (4)"
            ),
        ])
    func refused(text: String, message: String) {
        guard case .failure(let error) = HostConfig.parse(text + "\n") else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test("the default file and deploy/host-config.example.yml parse")
    func files() throws {
        _ = try HostConfig.parse(HostConfig.defaultFileText).get()
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/host-config.example.yml")
        let config = try HostConfig.parse(String(contentsOf: example, encoding: .utf8)).get()
        #expect(config.reservedGitProcesses == 8)
    }
}
