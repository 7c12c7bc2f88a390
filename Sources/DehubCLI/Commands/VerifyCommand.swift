import ArgumentParser
import DehubCore
import DehubGit
import DehubSignatures

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify commits against the config of their parents.",
        discussion: """
            Checks one commit (--rev, default HEAD) or every commit of a range (--range A..B, oldest first) under the \
            rules of a branch (--branch, default: the branch checked out, else main). Exits 0 when every commit \
            verifies, 1 when one does not.
            """)

    @ParentCommand var root: DehubCommand
    var repository: RepositoryOptions { root.repository }
    @Option(help: "The commit to verify.") var rev: String?
    @Option(help: ArgumentHelp("Verify every commit in A..B (reachable from B, not from A), oldest first.", valueName: "A..B"))
    var range: String?
    @Option(help: "The branch whose rules apply.") var branch: String?
    @Flag(help: "Print a machine-readable verdict per commit on stdout.") var json = false
    @Flag(name: .shortAndLong, help: "Only report failures.") var quiet = false

    func validate() throws {
        if rev != nil && range != nil { throw ValidationError("give either --rev or --range, not both") }
        if let range, !range.contains("..") || range.contains("...") {
            throw ValidationError("--range takes A..B")
        }
    }

    func run() async throws {
        try await ErrorPresenter.run {
            let repo = try repository.open()
            let branchName = try branch ?? repo.currentBranch() ?? "main"
            let commits: [ObjectID]
            if let range {
                let parts = range.components(separatedBy: "..")
                let from = try repository.resolve(parts[0].isEmpty ? "HEAD" : parts[0], in: repo)
                let to = try repository.resolve(parts[1].isEmpty ? "HEAD" : parts[1], in: repo)
                commits = try repo.commits(from: to, excluding: [from])
            } else {
                commits = [try repository.resolve(rev ?? "HEAD", in: repo)]
            }
            let gitDir = repo.gitDirectory
            let items = commits.map { ParallelVerification.Item(commit: $0, branch: branchName, nonFastForward: false) }
            var verdicts = try ParallelVerification.verify(
                items, open: { try GitRepository.open(path: gitDir) }, signatures: SignatureVerifier.shared,
                progress: json ? nil : ProgressLine(total: items.count, label: "verifying commits"))
            if let rejection = try AncestryCheck.rejection(for: commits.last, branch: branchName, in: repo) {
                verdicts[verdicts.count - 1].rejection = rejection
            }
            let failed = verdicts.filter { !$0.isVerified }
            if json {
                Output.out(VerdictPresenter.json(verdicts))
            } else {
                if !quiet { for v in verdicts where v.isVerified { Output.out(VerdictPresenter.summary(v)) } }
                for v in failed.prefix(10) { VerdictPresenter.explain(v).forEach(Output.err) }
                if failed.count > 10 { Output.err("... and \(failed.count - 10) more commits that are not verifiable") }
                if commits.count > 1 || !failed.isEmpty {
                    Output.err("\(verdicts.count - failed.count) of \(verdicts.count) commit(s) verified on branch '\(branchName)'")
                }
            }
            return failed.isEmpty ? .ok : .notVerifiable
        }
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
