import DehubTestSupport
import Foundation
import Testing

/// The pre-push check judges release tags as the server does (format §13.2), before anything is sent.
@Suite("pre-push hook: release tags")
struct PrePushReleaseTagTests {
    @Test func refusesAnUnderSignedTagBeforeSendingAndLetsAReleaseThrough() throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(
            team.config(
                accessControls: ScenarioConfig.mainNeeds(2, of: ScenarioTeam.names)
                    + ScenarioConfig.releasesNeed(2, of: ScenarioTeam.names)),
            signers: [team.a, team.b])
        try s.makeServer()
        expectAccepted(try s.push("-q", "origin", "main"))
        let marker = s.directory.appending("server-hook-ran")
        try s.write(
            "hooks/pre-receive",
            """
            #!/bin/sh
            echo ran >> '\(marker)'
            exec '\(s.dehubPath)' hook pre-receive

            """, in: s.server)
        chmod(s.server + "/hooks/pre-receive", 0o755)
        try s.dehubOK("install-hook", "--pre-push")

        let object = try s.tag("v1.0", by: team.a)
        let refused = try s.push("origin", "refs/tags/v1.0")
        expectRefused(
            refused, "needs credentials from 2 of [alice, bob, carol]; verified: alice; missing: bob, carol", by: "client")
        #expect(!s.exists(marker), "the server's hook never ran")
        #expect(try !s.serverHasObject(object))
        try s.git("tag", "light")
        expectRefused(try s.push("origin", "refs/tags/light"), "lightweight tags are refused", by: "client")

        let release = try s.tag("v1.0", by: team.c, ["--add-credential"])
        expectAccepted(try s.push("origin", "refs/tags/v1.0"))
        #expect(s.exists(marker))
        #expect(try s.serverRef("refs/tags/v1.0") == release)
        expectRefused(try s.push("origin", ":refs/tags/v1.0"), "deleting tag 'v1.0' is never allowed", by: "client")
    }
}
