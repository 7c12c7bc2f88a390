import DehubTestSupport
import Foundation
import Testing

extension EndToEnd.RealHookTests {
    /// Format §13 behind the host: release tags go through the real hook like any push, over SSH and HTTP, and
    /// `git clone`, `git fetch --tags` and `git ls-remote` bring them back.
    @Test("a release tag with one of two signatures is refused and with two accepted, over SSH and HTTP; clones get it")
    func releaseTagsOverBothTransports() throws {
        let world = try World.start(releases: true)
        defer { world.stop() }
        let s = world.scenario, team = world.team, server = world.server
        try s.tag("v1.0", by: team.a)
        try s.tag("v1.1", by: team.b)
        for (url, tag) in [(server.sshURL("project", user: "anonymous"), "v1.0"), (server.httpURL("project"), "v1.1")] {
            let refused = try world.push(["refs/tags/\(tag)"], over: url, key: world.stranger)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("remote: dehub: push refused"), "\(refused.output)")
            #expect(refused.stderr.contains("missing: "), "\(refused.output)")
            #expect(try world.hostRef("refs/tags/\(tag)").isEmpty)
        }
        let v10 = try s.tag("v1.0", by: team.c, ["--add-credential"])
        let v11 = try s.tag("v1.1", by: team.c, ["--add-credential"])
        try world.expectOK(world.push(["refs/tags/v1.0"], over: server.sshURL("project", user: "anonymous"), key: world.stranger))
        try world.expectOK(world.push(["refs/tags/v1.1"], over: server.httpURL("project")))
        #expect(try world.hostRef("refs/tags/v1.0") == v10)
        #expect(try world.hostRef("refs/tags/v1.1") == v11)

        let listed = try world.expectOK(
            server.git(["ls-remote", "--tags", server.sshURL("project", user: "anonymous")], key: world.stranger))
        #expect(
            listed.stdout.contains("\(v10)\trefs/tags/v1.0") && listed.stdout.contains("\(v11)\trefs/tags/v1.1"),
            "\(listed.output)")
        let clone = server.root + "/release-clone"
        try world.expectOK(server.git(["clone", "-q", server.httpURL("project"), clone]))
        #expect(try world.expectOK(server.git(["rev-parse", "refs/tags/v1.0"], in: clone)).stdout.contains(v10))
        let verify = try s.run(s.dehubPath, ["verify", "--tag", "v1.1"], in: clone)
        #expect(verify.exitCode == 0, "\(verify.stdoutText)\(verify.stderrText)")
        try s.git("tag", "-d", "v1.0")
        try world.expectOK(
            server.git(["fetch", "-q", "--tags", server.sshURL("project", user: "anonymous")], key: world.stranger, in: s.work))
        #expect(try s.git("rev-parse", "refs/tags/v1.0") == v10)
        // Published: deleting it is refused (and so is moving it, HookReleaseTagTests).
        let moved = try world.push(["--force", ":refs/tags/v1.1"], over: server.httpURL("project"))
        #expect(moved.status != 0 && moved.stderr.contains("deleting tag 'v1.1' is never allowed"), "\(moved.output)")
    }
}
