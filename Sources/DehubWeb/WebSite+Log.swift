import DehubCore
import DehubGit

extension WebSite {
    struct LogModel {
        struct Branch {
            var name: String
            var url: String
            var current: Bool
        }
        var branch: String
        var branches: [Branch]
        var commits: [CommitRow]
        var empty: Bool
        var next: String?
    }

    /// `/NAME/log/BRANCH`: one page of the branch's history by first parents (from its tip, or from `from`), each
    /// commit with its verdict under the branch's rules.
    func log(_ context: PageContext, branch: String, from: String?) throws -> (String, String) {
        let repo = context.repo
        guard let tip = try repo.reference("refs/heads/" + branch) else { throw WebPageError.notFound("No branch \(branch).") }
        var start = tip
        if let from {
            guard let id = ObjectID(hex: from), try repo.isAncestor(id, of: tip) else {
                throw WebPageError.notFound("\(from) is not in the history of \(branch).")
            }
            start = id
        }
        let (verifier, cache) = self.verifier(context, anchor: tip)
        defer { verdicts.save(cache, for: context.repository.name) }
        var rows: [CommitRow] = []
        var current: ObjectID? = start
        while let id = current, rows.count < limits.logPageSize {
            let info = try repo.commit(id)
            let payload = Self.payload(info.message)
            let verdict = verifier.verify(id, branch: branch, nonFastForward: false)
            var row = CommitRow(
                id, branch: branch, payload: payload, head: info.head, author: try repo.people(ofCommit: id).author,
                paths: context.paths)
            row.verdict = WebVerdict(verdict, payload: payload)
            rows.append(row)
            current = info.parents.first
        }
        let branches = try repo.references().compactMap { ref -> LogModel.Branch? in
            guard ref.name.hasPrefix("refs/heads/") else { return nil }
            let name = String(ref.name.dropFirst("refs/heads/".count))
            return LogModel.Branch(name: name, url: context.paths.log(name), current: name == branch)
        }.prefix(limits.maxThreads + 1)
        let model = LogModel(
            branch: branch, branches: Array(branches), commits: rows, empty: rows.isEmpty,
            next: current.map { context.paths.log(branch, from: $0.hex) })
        return ("Log of \(branch) · \(context.repository.name)", WebTemplates.render(model, "log"))
    }
}
