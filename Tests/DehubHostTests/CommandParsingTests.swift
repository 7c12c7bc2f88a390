import Testing

@testable import DehubHost

@Suite("SSH command lines and admin commands")
struct CommandParsingTests {
    @Test(
        "git commands",
        arguments: [
            ("git-upload-pack '/team/x.git'", GitService.uploadPack, "team/x.git"),
            ("git-upload-pack 'team/x.git'", .uploadPack, "team/x.git"),
            ("git-receive-pack '/demo.git'", .receivePack, "demo.git"),
            ("git-upload-archive '/demo.git'", .uploadArchive, "demo.git"),
            ("git upload-pack '/demo.git'", .uploadPack, "demo.git"),
            ("git-upload-pack demo.git", .uploadPack, "demo.git"),
            ("git-upload-pack '//etc.git'", .uploadPack, "/etc.git"),
            ("git-upload-pack '/../x.git'", .uploadPack, "../x.git"),
        ])
    func git(command: String, service: GitService, path: String) {
        #expect(SSHCommandLine.parse(command) == .success(.git(service, repoPath: path)))
    }

    @Test(
        "refused command lines",
        arguments: [
            ("", SSHCommandLineError.empty),
            ("git-upload-pack", .malformedGitCommand),
            ("git-upload-pack 'a.git' extra", .malformedGitCommand),
            ("git-upload-pack 'a'\\''b.git'", .malformedGitCommand),
            ("git-upload-pack 'a.git", .malformedGitCommand),
            ("git-upload-pack ''", .malformedGitCommand),
            ("git-upload-pack '!x.git'", .malformedGitCommand),
            ("git-upload-pack \"a.git\"", .malformedGitCommand),
            ("git-shell -c ls", .unknownGitService),
            ("git-http-backend", .unknownGitService),
            ("git daemon", .unknownGitService),
            ("ls; rm -rf /", .invalidCharacter),
            ("repo create `id`", .invalidCharacter),
            ("repo create $(id)", .invalidCharacter),
            ("whoami\n", .invalidCharacter),
            ("whoami\u{0}", .invalidCharacter),
            (String(repeating: "a", count: 2000), .tooLong),
        ])
    func refused(command: String, error: SSHCommandLineError) {
        #expect(SSHCommandLine.parse(command) == .failure(error))
    }

    @Test func adminWords() {
        #expect(
            SSHCommandLine.parse("repo create team/x --private") == .success(.admin(["repo", "create", "team/x", "--private"])))
        #expect(SSHCommandLine.parse("whoami") == .success(.admin(["whoami"])))
    }

    @Test(
        "admin commands",
        arguments: [
            (["repo", "create", "demo"], AdminCommand.repoCreate(RepoName.validated("demo")!, isPrivate: false)),
            (["repo", "create", "team/x.git", "--private"], .repoCreate(RepoName.validated("team/x")!, isPrivate: true)),
            (["repo", "create", "--private", "x"], .repoCreate(RepoName.validated("x")!, isPrivate: true)),
            (["repo", "list"], .repoList),
            (["repo", "delete", "demo"], .repoDelete(RepoName.validated("demo")!)),
            (["whoami"], .whoami),
            (["cluster", "status"], .clusterStatus),
            (["help"], .help),
            ([], .help),
        ])
    func admin(words: [String], expected: AdminCommand) {
        #expect(AdminCommand.parse(words) == .success(expected))
    }

    @Test(
        "admin command errors",
        arguments: [
            (["ls"], "unknown command 'ls'"),
            (["repo", "create"], "usage: repo create NAME [--private]"),
            (["repo", "create", "a", "b"], "usage: repo create NAME [--private]"),
            (["repo", "create", "a", "--public"], "usage: repo create NAME [--private]"),
            (["repo", "create", "../x"], "invalid repository name: no segment of a repository name may start with '.' or '-'"),
            (["repo", "delete"], "usage: repo delete NAME"),
            (["repo", "delete", "-x"], "usage: repo delete NAME"),
            (["repo", "list", "x"], "usage: repo list"),
            (["repo", "rename", "a", "b"], "unknown command 'repo rename'"),
            (["whoami", "x"], "unknown command 'whoami'"),
            (["cluster"], "usage: cluster status"),
            (["cluster", "status", "--json"], "usage: cluster status"),
        ])
    func adminErrors(words: [String], message: String) throws {
        guard case .failure(let error) = AdminCommand.parse(words) else {
            Issue.record("expected an error for \(words)")
            return
        }
        #expect(error.description.hasPrefix(message))
    }
}
