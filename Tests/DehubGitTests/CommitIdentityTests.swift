import Testing

@testable import DehubGit

@Suite struct GitDateTests {
    @Test(arguments: [
        ("@1700000000 +0000", 1_700_000_000, 0),
        ("@1700000000 -0130", 1_700_000_000, -90),
        ("1700000000 +0200", 1_700_000_000, 120),
        ("@0 +0000", 0, 0),
        ("Tue, 14 Nov 2023 22:13:20 +0000", 1_700_000_000, 0),
        ("14 Nov 2023 23:13:20 +0100", 1_700_000_000, 60),
        ("Tue, 14 Nov 2023 22:13:20 GMT", 1_700_000_000, 0),
        ("2023-11-14T22:13:20Z", 1_700_000_000, 0),
        ("2023-11-14T22:13:20+00:00", 1_700_000_000, 0),
        ("2023-11-15T03:43:20+05:30", 1_700_000_000, 330),
        ("2023-11-14 17:13:20 -0500", 1_700_000_000, -300),
        ("2023-11-14T22:13:20.250Z", 1_700_000_000, 0),
        ("2024-02-29T00:00:00Z", 1_709_164_800, 0),
    ])
    func parsesGitDates(text: String, seconds: Int, offset: Int) {
        #expect(GitDate.parse(text) == GitDate(seconds: Int64(seconds), offsetMinutes: Int32(offset)))
    }

    @Test(arguments: [
        "", "yesterday", "@", "@12x", "1700000000", "1700000000 0000", "1700000000 +2500",
        "Tue, 14 Foo 2023 22:13:20 +0000", "2023-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2023-11-14T25:00:00Z",
        "2023-11-14T22:13Zjunk", "14 Nov 2023 22:13:20", "2023-11-14T22:13:20 +0000 extra",
    ])
    func rejectsWhatItCannotReadExactly(text: String) {
        #expect(GitDate.parse(text) == nil)
    }

    @Test func isoWithoutZoneIsLocalTime() throws {
        let date = try #require(GitDate.parse("2023-11-14 22:13:20"))
        #expect(date.seconds + Int64(date.offsetMinutes) * 60 == 1_700_000_000)
    }
}

@Suite struct CommitIdentityTests {
    private let fixedNow = GitDate(seconds: 42, offsetMinutes: 0)

    @Test func environmentWinsOverConfig() throws {
        let config = ["user.name": "Config", "user.email": "config@example.com"]
        let identity = try CommitIdentity.resolve(
            .author, environment: ["GIT_AUTHOR_NAME": "Env", "GIT_AUTHOR_DATE": "@1700000000 +0100"],
            config: { config[$0] }, now: { fixedNow })
        #expect(
            identity
                == CommitIdentity(
                    name: "Env", email: "config@example.com",
                    date: GitDate(seconds: 1_700_000_000, offsetMinutes: 60)))
    }

    @Test func roleSpecificConfigWinsOverUser() throws {
        let config = ["user.name": "User", "user.email": "user@example.com", "committer.email": "c@example.com"]
        let committer = try CommitIdentity.resolve(.committer, environment: [:], config: { config[$0] }, now: { fixedNow })
        #expect(committer == CommitIdentity(name: "User", email: "c@example.com", date: fixedNow))
        let author = try CommitIdentity.resolve(.author, environment: [:], config: { config[$0] }, now: { fixedNow })
        #expect(author.email == "user@example.com")
    }

    @Test func emailFallsBackToEMAIL() throws {
        let identity = try CommitIdentity.resolve(
            .committer, environment: ["GIT_COMMITTER_NAME": "N", "EMAIL": "e@example.com"], config: { _ in nil },
            now: { fixedNow })
        #expect(identity.email == "e@example.com")
    }

    @Test func noNameIsAnError() {
        #expect(throws: GitError("no author name: set it with `git config user.name \"Your Name\"` or GIT_AUTHOR_NAME")) {
            try CommitIdentity.resolve(.author, environment: ["GIT_AUTHOR_EMAIL": "a@b"], config: { _ in nil })
        }
        #expect(throws: GitError.self) {
            try CommitIdentity.resolve(
                .author, environment: ["GIT_AUTHOR_NAME": " ", "GIT_AUTHOR_EMAIL": "a@b"],
                config: { _ in nil })
        }
    }
}
