import ArgumentParser
import DehubCore
import DehubGit
import DehubSignatures
import DehubVerification

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify commits against the config of their parents.",
        discussion: """
            Checks one commit (--rev, default HEAD), every commit of a range (--range A..B, oldest first) or every \
            commit of a branch from its root commit, root included (--all) under the rules of a branch (--branch, \
            default: the branch checked out, else main). Exits 0 when every commit verifies, 1 when one does not. \
            A range that holds no commit verifies nothing: it says so on stderr and exits 0 (--json prints []). \
            --tag NAME verifies the release tag NAME as the hook would, under the config at main (format §13). \
            Passes are remembered in the repository's verdict cache (GIT_DIR/dehub/verdicts-v1) and not checked \
            again for the same commit, branch and governing config; --no-cache checks every commit (and still \
            records the passes), as does --json, whose verdicts list every credential.
            """)

    @ParentCommand var root: DehubCommand
    var repository: RepositoryOptions { root.repository }
    @Option(help: "The commit to verify.") var rev: String?
    @Option(help: ArgumentHelp("Verify every commit in A..B (reachable from B, not from A), oldest first.", valueName: "A..B"))
    var range: String?
    @Flag(help: "Verify every commit of the branch (--branch) from its root commit, root included, oldest first.") var all = false
    @Option(help: "The branch whose rules apply (and, with --all, whose history is verified).") var branch: String?
    @Option(
        help: ArgumentHelp(
            "Verify the release tag NAME instead (format §13), under the config at main's tip (--branch names another).",
            valueName: "NAME"))
    var tag: String?
    @Flag(help: "Print a machine-readable verdict per commit on stdout.") var json = false
    @Flag(name: .shortAndLong, help: "Only report failures.") var quiet = false
    @Flag(help: "Check every commit again, even those the verdict cache holds as verified before.") var noCache = false

    func validate() throws {
        if [rev != nil, range != nil, all, tag != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give only one of --rev, --range, --all and --tag")
        }
        if let range, !range.contains("..") || range.contains("...") {
            throw ValidationError("--range takes A..B")
        }
    }

    func run() async throws {
        try await ErrorPresenter.run {
            let repo = try repository.open()
            if let tag { return try TagVerification.run(tag, mainBranch: branch ?? "main", in: repo, json: json, quiet: quiet) }
            let branchName = try branch ?? repo.currentBranch() ?? "main"
            let answersFromCache = !(noCache || json)
            // A commit is read by the walk, then at most once more (a miss), and the trees still needed are in the
            // handles' TreeCache: libgit2 keeping its own copies only grows the heap (measured: 2-5 % of a cold run,
            // 13 % of one answered from the cache).
            LibGit2.cacheCommitsAndTrees(false)
            let use: HistoryVerification.CacheUse = answersFromCache ? .readWrite : .recordOnly
            // The cache file is read while the history is walked.
            let loading = HistoryVerification.CacheLoading(repository: repo, use: use)
            let history = try commitsToVerify(in: repo, branch: branchName, loading: loading)
            let commits = history.commits
            guard !commits.isEmpty else {
                // Nothing failed, so this is not a refusal; but a silent 0 would read as "verified".
                Output.err("dehub: nothing to verify: the range \(range ?? "") holds no commit (0 commits verified)")
                if json { Output.out("[]") }
                return .ok
            }
            let result = try HistoryVerification.verify(
                commits, branch: branchName, in: repo, cache: use,
                progress: json ? nil : ProgressLine(total: commits.count, label: "verifying commits", minimum: all ? 1 : 500),
                links: history.links, loading: loading, answers: history.answers)
            // A cache that cannot be written only costs time on the next run.
            if let warning = result.cacheWarning { Output.err("dehub: warning: \(warning)") }
            let verdicts = result.verdicts
            // The process ends after this command: freeing the handle's object cache (every commit the walk read)
            // would cost about a microsecond per commit for nothing.
            _ = Unmanaged.passRetained(repo)
            let failed = verdicts.filter { !$0.isVerified }
            if json {
                Output.out(VerdictPresenter.json(verdicts))
            } else {
                if !quiet { for v in verdicts where v.isVerified { Output.out(VerdictPresenter.summary(v)) } }
                for v in failed.prefix(10) { VerdictPresenter.explain(v).forEach(Output.err) }
                if failed.count > 10 { Output.err("... and \(failed.count - 10) more commits that are not verifiable") }
                if commits.count > 1 || !failed.isEmpty || all {
                    Output.err(
                        "\(verdicts.count - failed.count) of \(verdicts.count) commit(s) verified on branch '\(branchName)'")
                }
            }
            return failed.isEmpty ? .ok : .notVerifiable
        }
    }

    /// The commits to verify, oldest first, what a first-parent walk read of them (when it could) and the verdict
    /// cache's answers it got meanwhile.
    private func commitsToVerify(
        in repo: GitRepository, branch: String, loading: HistoryVerification.CacheLoading
    ) throws -> HistoryVerification.Walk {
        if all {
            guard let tip = try repo.reference("refs/heads/\(branch)") else {
                throw CLIError("no branch '\(branch)' to verify", hint: "name an existing branch with --branch", status: .noInput)
            }
            return try HistoryVerification.walk(from: tip, excluding: nil, branch: branch, in: repo, loading: loading)
        }
        if let range {
            let parts = range.components(separatedBy: "..")
            let from = try repository.resolve(parts[0].isEmpty ? "HEAD" : parts[0], in: repo)
            let to = try repository.resolve(parts[1].isEmpty ? "HEAD" : parts[1], in: repo)
            return try HistoryVerification.walk(from: to, excluding: from, branch: branch, in: repo, loading: loading)
        }
        return HistoryVerification.Walk(commits: [try repository.resolve(rev ?? "HEAD", in: repo)], links: nil, answers: nil)
    }
}

extension String {
    /// Splits `A..B` at its first `..`.
    func components(separatedBy separator: String) -> [String] {
        let s = Array(utf8), sep = Array(separator.utf8)
        guard s.count >= sep.count else { return [self] }
        for i in 0...(s.count - sep.count) where Array(s[i..<(i + sep.count)]) == sep {
            return [String(decoding: s[..<i], as: UTF8.self), String(decoding: s[(i + sep.count)...], as: UTF8.self)]
        }
        return [self]
    }
}
