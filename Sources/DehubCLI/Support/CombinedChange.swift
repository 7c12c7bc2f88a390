import DehubCore
import DehubGit

/// The change that the commits START..END (both included) make together: the diff from START's parent tree
/// (or the empty tree) to END's tree, described by the given text or the last change description in the range.
struct CombinedChange {
    var commits: [ObjectID]
    var base: ObjectID?
    var baseTree: ObjectID?
    var tree: ObjectID
    var description: String
    var fingerprint: Fingerprint
    /// The parsed payloads of the range, oldest first (nil where a commit is not a dehub commit).
    var payloads: [(id: ObjectID, payload: Payload?)]

    static func make(repo: GitRepository, start: ObjectID, end: ObjectID?, description: String?) throws -> CombinedChange {
        let startCommit = try repo.commit(start)
        guard startCommit.parents.count <= 1 else {
            throw CLIError("\(start.short) is a merge commit; ranges must be linear", status: .dataError)
        }
        let base = startCommit.parents.first
        let last = end ?? start
        let commits: [ObjectID]
        if let base {
            commits = try repo.commits(from: last, excluding: [base])
        } else {
            commits = try repo.commits(from: last, excluding: [])
        }
        guard commits.first == start, try repo.isAncestor(start, of: last) else {
            throw CLIError("\(start.short) is not an ancestor of \(last.short), or the range is not linear", status: .dataError)
        }
        var payloads: [(id: ObjectID, payload: Payload?)] = []
        var lastDescription: String?
        for id in commits {
            let info = try repo.commit(id)
            guard info.parents.count <= 1 else {
                throw CLIError("the range contains merge commit \(id.short); ranges must be linear", status: .dataError)
            }
            let payload = try? CommitMessage.parse(info.message).payload
            if case .change(let d)? = payload?.body { lastDescription = d }
            payloads.append((id, payload))
        }
        if end == nil {
            guard case .change? = payloads.first?.payload?.body else {
                throw CLIError(
                    "\(start.short) is not a dehub change commit", hint: "give a change commit, or a range with --end",
                    status: .dataError)
            }
        }
        guard let text = description ?? lastDescription else {
            throw CLIError(
                "the range has no change commit to take a description from", hint: "pass --descr TEXT", status: .dataError)
        }
        let baseTree = try base.map { try repo.commit($0).tree }
        let tree = try repo.commit(last).tree
        let files = try repo.changedFiles(from: baseTree, to: tree)
        return CombinedChange(
            commits: commits, base: base, baseTree: baseTree, tree: tree, description: text,
            fingerprint: Fingerprint.change(description: text, files: files), payloads: payloads)
    }
}
