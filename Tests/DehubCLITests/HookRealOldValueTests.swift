import DehubTestSupport
import Foundation
import Testing

/// The hook judges each update from the ref's real current value, not from the old value the client claims
/// (format §10). The attack: a raw push saying main is new while it exists, or lying about a thread's old tip, was
/// judged on the claim ("1 commit(s) verified") and refused only by git's own compare-and-swap afterwards. Here the
/// hook is run alone on such input, so only the hook can refuse it.
@Suite("pre-receive hook: the real current value of each ref")
struct HookRealOldValueTests {
    static let zero = String(repeating: "0", count: 40)

    private func world() throws -> (Scenario, main: String, hello: String, next: String) {
        let s = try Scenario()
        let team = try s.guardedRepository()
        let main = try s.head("main")
        try s.git("switch", "-q", "-c", "hello")
        let hello = try s.change("Hello", by: team.a, files: ["hello.txt": "hello\n"])
        expectAccepted(try s.push("origin", "hello"))
        // A next commit on the thread, in the server's object store but on no ref (as if already received).
        let next = try s.change("Next", by: team.a, files: ["next.txt": "next\n"])
        try s.git("fetch", "-q", "file://" + s.work, "hello:refs/dehub-test/next", in: s.server)
        try s.git("update-ref", "-d", "refs/dehub-test/next", in: s.server)
        return (s, main, hello, next)
    }

    private func hook(_ s: Scenario, _ input: String) throws -> CommandResult {
        try s.dehub(["hook", "pre-receive"], in: s.server, stdin: Array(input.utf8), environment: ["GIT_DIR": s.server])
    }

    @Test func refusesAClaimThatAnExistingBranchIsNew() throws {
        let (s, main, hello, next) = try world()
        let result = try hook(s, "\(Self.zero) \(next) refs/heads/hello\n")
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(
            result.stderrText.contains(
                "dehub: refs/heads/hello: the push says 'refs/heads/hello' is new, but the repository has it at \(short(hello))"),
            "\(result.transcript)")
        #expect(result.stderrText.contains("next: fetch, then push again"), "\(result.transcript)")
        #expect(!result.stderrText.contains("verified"), "\(result.transcript)")
        // main too: a "new" main would otherwise be judged as a new root of trust.
        let claimsNewMain = try hook(s, "\(Self.zero) \(main) refs/heads/main\n")
        #expect(claimsNewMain.exitCode == 1)
        #expect(
            claimsNewMain.stderrText.contains("says 'refs/heads/main' is new, but the repository has it at \(short(main))"),
            "\(claimsNewMain.transcript)")
    }

    @Test func refusesAWrongOldValue() throws {
        let (s, main, hello, next) = try world()
        let result = try hook(s, "\(main) \(next) refs/heads/hello\n")
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(
            result.stderrText.contains(
                "the push says 'refs/heads/hello' is at \(short(main)), but the repository has it at \(short(hello))"),
            "\(result.transcript)")
    }

    @Test func refusesAnOldValueForABranchThatDoesNotExist() throws {
        let (s, _, hello, next) = try world()
        let result = try hook(s, "\(hello) \(next) refs/heads/nothere\n")
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(
            result.stderrText.contains(
                "the push says 'refs/heads/nothere' is at \(short(hello)), but the repository has no such ref"),
            "\(result.transcript)")
    }

    @Test func refusesDeletingWithAWrongOldValue() throws {
        let (s, main, _, _) = try world()
        let result = try hook(s, "\(main) \(Self.zero) refs/heads/hello\n")
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(result.stderrText.contains("the push says 'refs/heads/hello' is at \(short(main))"), "\(result.transcript)")
    }

    /// The true old value goes through, as before.
    @Test func acceptsTheTrueOldValue() throws {
        let (s, _, hello, next) = try world()
        let result = try hook(s, "\(hello) \(next) refs/heads/hello\n")
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(result.stderrText.contains("dehub: 1 commit(s) verified"), "\(result.transcript)")
    }
}
