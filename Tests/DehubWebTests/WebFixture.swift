import DehubTestSupport
import DehubWeb
import Foundation

/// A repository with a signed history holding everything the pages must show, made with the real `dehub` binary and
/// real SSH keys: main's rules need 2 of alice, bob and carol.
///
/// - main: the root of trust (config and a hostile README), a change landed with alice's and bob's credentials whose
///   description holds a `<script>` and which adds a file named `"><img src=x onerror=...>`, then a change signed by
///   alice alone, pushed past the hook (the server has none): the refused commit.
/// - `feature`: a thread with alice's change and bob's comment: it needs 1 more of bob, carol.
/// - `ready`: a thread with alice's change and bob's credential: main's rules take it.
final class WebFixture: @unchecked Sendable {
    let scenario: Scenario
    let team: ScenarioTeam
    let landed: String
    let refused: String
    let featureChange: String

    /// Each would change the page if it ran: the browser test looks for these marks.
    static let pwnedTitle = "pwned"
    static let hostileFile = "\"><img src=x onerror=document.body.setAttribute('data-pwned','file')>"
    static let hostileDescription = "Add notes <script>document.title='pwned'</script>"
    static let readme = """
        # Demo project

        A project whose *main* carries the credentials its rules ask for.

        | account | role |
        |---------|------|
        | alice   | maintainer |
        | bob     | reviewer |

        <script>document.title='pwned'</script>
        <img src=x onerror="document.body.setAttribute('data-pwned','readme')">
        <div onmouseover="alert(1)">raw html</div>

        [a javascript link](javascript:document.body.setAttribute('data-pwned','link'))
        [a data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

        ```swift
        let verified = true
        ```

        """

    init() throws {
        let s = try Scenario()
        scenario = s
        let team = try ScenarioTeam(in: s)
        self.team = team
        try s.bootstrap(team.strictConfig(), extraFiles: ["README.md": Self.readme], signers: [team.a, team.b])
        try s.makeServer(installHook: false)
        landed = try s.landOnMain(
            Self.hostileDescription, files: [Self.hostileFile: "hostile name\n", "docs/guide.md": "# Guide\n\nRead me.\n"],
            author: team.a, reviewers: [team.b])
        refused = try s.change("Unreviewed change", by: team.a, files: ["notes.txt": "not reviewed\n"])
        try s.git("push", "-q", "origin", "main")
        try s.git("tag", "v0.1", landed)
        try s.git("push", "-q", "origin", "v0.1")

        try s.git("switch", "-q", "-c", "feature", "main")
        featureChange = try s.change("Add a feature", by: team.a, files: ["feature.txt": "new\n"])
        try s.comment("Looks right, <b>but</b> where are the tests?", by: team.b)
        try s.git("push", "-q", "origin", "feature")

        try s.git("switch", "-q", "-c", "ready", "main")
        let start = try s.change("Fix a typo", by: team.a, files: ["notes.txt": "reviewed\n"])
        try s.credential(start: start, by: team.b)
        try s.git("push", "-q", "origin", "ready")
        try s.git("switch", "-q", "main")
    }

    /// The bare repository the pages read.
    var repositoryPath: String { scenario.server }
}

/// A `WebRepositories` over fixed paths: the repositories it names, and nothing else (as a host's gate answers for
/// an anonymous request: private repositories are simply absent).
struct FixedRepositories: WebRepositories {
    var repositories: [WebRepository]

    func visible() async -> [WebRepository] { repositories }
    func open(_ rawName: String) async -> WebRepository? { repositories.first { $0.name == rawName } }
}
