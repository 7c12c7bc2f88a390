import Testing

@testable import DehubHost

@Suite("Repository names")
struct RepoNameTests {
    @Test(
        "valid names",
        arguments: [
            ("demo", "demo"), ("demo.git", "demo"), ("team/project", "team/project"), ("team/project.git", "team/project"),
            ("a.b_c-d", "a.b_c-d"), ("A/B/C/D/E/F/G/H", "A/B/C/D/E/F/G/H"), ("x..y", "x..y"), ("v1.0", "v1.0"),
        ])
    func valid(raw: String, path: String) {
        #expect(RepoName.validated(raw)?.path == path)
    }

    @Test(
        "invalid names",
        arguments: [
            ("", RepoNameProblem.empty),
            (".git", .empty),
            ("/etc", .absolute),
            ("/etc/passwd", .absolute),
            ("../x", .leadingDotOrDash),
            ("a/../../b", .leadingDotOrDash),
            ("a/./b", .leadingDotOrDash),
            ("..", .leadingDotOrDash),
            (".hidden", .leadingDotOrDash),
            ("team/.hidden", .leadingDotOrDash),
            ("-rf", .leadingDotOrDash),
            ("--upload-pack", .leadingDotOrDash),
            ("--upload-pack=evil", .invalidCharacter),
            ("a//b", .emptySegment),
            ("a/", .emptySegment),
            ("a b", .invalidCharacter),
            ("a\\b", .invalidCharacter),
            ("~root/x", .invalidCharacter),
            ("a%2Fb", .invalidCharacter),
            ("a:b", .invalidCharacter),
            ("é", .invalidCharacter),
            ("a\0b", .invalidCharacter),
            ("a\nb", .invalidCharacter),
            ("x.git/y", .innerGitSuffix),
            ("x.git.git", .innerGitSuffix),
            ("a/b/c/d/e/f/g/h/i", .tooManySegments),
            (String(repeating: "a", count: 101), .tooLong),
            (String(repeating: "a/", count: 100) + "a", .tooLong),
        ])
    func invalid(raw: String, problem: RepoNameProblem) {
        #expect(RepoName.parse(raw) == .failure(problem))
    }

    @Test func directoryPathAddsGit() {
        #expect(RepoName.validated("team/x")?.directoryPath == "team/x.git")
    }

    @Test(
        "problems have user-facing messages",
        arguments: [
            (RepoNameProblem.absolute, "the repository name must not start with '/'"),
            (.leadingDotOrDash, "no segment of a repository name may start with '.' or '-'"),
            (.invalidCharacter, "the repository name may only contain A-Z, a-z, 0-9, '.', '_', '-' and '/'"),
        ])
    func messages(problem: RepoNameProblem, message: String) {
        #expect(problem.description == message)
    }
}
