import DehubCore
import DehubGit
import DehubVerification

/// Judges one tip a source serves for one branch against the verified state, with the hook's own rules
/// (`PushVerifier`, server side): the cache repository's `refs/heads/*` are the state the update is judged from, and
/// the update is the move from the verified tip to the served one. On top of the hook's rules, main is never moved
/// other than forward and its root must be the pinned one.
struct CandidateJudge {
    enum Judgement: Equatable {
        case verified(commits: Int)
        case refused(String)
    }

    let cachePath: String
    let limits: HookLimits
    let root: ObjectID?

    func judge(_ tip: ObjectID, ref: String, verified: ObjectID?, in repo: GitRepository) throws -> Judgement {
        if ref == RefUpdate.mainRef {
            if let verified, try !repo.isAncestor(verified, of: tip) {
                return .refused(
                    "main at \(tip.short) does not descend from the verified main \(verified.short): a verified main is never rewound or replaced"
                )
            }
            if verified == nil, let root {
                let roots = try repo.rootCommits(of: tip)
                if roots != [root] {
                    let theirs = roots.map(\.short).joined(separator: ", ")
                    return .refused(
                        "main's root commit is \(theirs.isEmpty ? "missing" : theirs), not the pinned root of trust \(root.short): this is another project, or a forged history"
                    )
                }
            }
        }
        let verifier = PushVerifier(repo: repo, path: cachePath, roles: .anyone, limits: limits, side: .server)
        let update = RefUpdate(old: verified ?? .zero, new: tip, ref: ref)
        let outcome: PushVerifier.Outcome
        do {
            outcome = try verifier.verify([update])
        } catch let error as VerificationError {
            return .refused(error.message + (error.hint.map { " (\($0))" } ?? ""))
        }
        guard outcome.isAccepted else { return .refused(VerdictText.refusal(outcome).joined(separator: "\n")) }
        return .verified(commits: outcome.checkedCommits)
    }
}
