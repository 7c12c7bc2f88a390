import DehubTestSupport

extension Scenario {
    /// The strict repository (bound credentials) with two changes landed on main: the scenario, its team, and the
    /// commits root, first, second (oldest first). `dehub verify --all` and the verdict cache are checked on it.
    static func strictHistory() throws -> (Scenario, ScenarioTeam, [String]) {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        let root = try s.bootstrap(team.strictConfig().bound, signers: [team.a, team.b])
        let first = try s.landOnMain("First", files: ["one.txt": "1\n"], author: team.a, reviewers: [team.b])
        let second = try s.landOnMain("Second", files: ["two.txt": "2\n"], author: team.a, reviewers: [team.c])
        return (s, team, [root, first, second])
    }
}
