import Foundation

/// Three accounts with SSH keys (alice and bob Ed25519, carol ECDSA P-256), made in a scenario's key folder,
/// and a repository guarded by them: a working repo whose main needs `mainCount` of the three for a change,
/// a bare server with the hook, and main pushed to it.
public struct ScenarioTeam: Sendable {
    public let alice: SSHTestKey
    public let bob: SSHTestKey
    public let carol: SSHTestKey

    public var a: ScenarioSigner { ScenarioSigner("alice", key: alice) }
    public var b: ScenarioSigner { ScenarioSigner("bob", key: bob) }
    public var c: ScenarioSigner { ScenarioSigner("carol", key: carol) }
    public static let names = ["alice", "bob", "carol"]

    public init(in scenario: Scenario) throws {
        alice = try scenario.sshKey("alice")
        bob = try scenario.sshKey("bob")
        carol = try scenario.sshKey("carol", type: .ecdsa256)
    }

    /// The three accounts with inline SSH keys, and the given access controls.
    public func config(accessControls: String = "") -> ScenarioConfig {
        ScenarioConfig(
            accounts: [
                .init("alice", [.ssh(alice.publicKeyLine)]),
                .init("bob", [.ssh(bob.publicKeyLine)]),
                .init("carol", [.ssh(carol.publicKeyLine)]),
            ],
            accessControls: accessControls)
    }

    /// The usual rules of these tests: main takes change commits signed by 2 of the 3, nothing else.
    public func strictConfig() -> ScenarioConfig {
        config(accessControls: ScenarioConfig.mainNeeds(2, of: Self.names))
    }
}

extension Scenario {
    /// A team, a repository bootstrapped with `config` (default: the team's strict config) by alice and bob, a
    /// server with the hook installed (unless `hook` is false), and main pushed to it.
    public func guardedRepository(config: ScenarioConfig? = nil, hook: Bool = true) throws -> ScenarioTeam {
        let team = try ScenarioTeam(in: self)
        try bootstrap(config ?? team.strictConfig(), signers: [team.a, team.b])
        try makeServer(installHook: hook)
        let pushed = try push("-q", "origin", "main")
        guard pushed.succeeded else { throw CommandFailure(command: ["git", "push", "origin", "main"], result: pushed) }
        return team
    }

    /// Lands a change on main the way the rules want it: alice commits it on a thread, each of `reviewers`
    /// accredits it, and the thread is combined onto main. Leaves `work` on main; returns main's new tip.
    @discardableResult
    public func landOnMain(
        _ description: String, files: [String: String], author: ScenarioSigner,
        reviewers: [ScenarioSigner]
    ) throws -> String {
        try git("switch", "-q", "-c", "landing", "main")
        let start = try change(description, by: author, files: files)
        for reviewer in reviewers { try credential(start: start, by: reviewer) }
        try dehubOK("combine", "--start", start, "--end", "landing", "--onto", "main")
        try git("checkout", "-q", "-f", "main")
        try git("branch", "-q", "-D", "landing")
        return try head("main")
    }
}
