import DehubCore
import DehubGit

extension WebSite {
    struct ThreadsModel {
        struct Thread {
            var branch: String
            var logURL: String
            var ready: Bool
            var needs: String?
            var blocked: String?
            var needsRebase: Bool
            var collected: String
            var entries: [CommitRow]
            var truncated: Bool
        }
        var threads: [Thread]
        var more: Int?
    }

    /// `/NAME/threads`: every branch but main as a thread, with what it still needs to land on main.
    func threads(_ context: PageContext) throws -> (String, String) {
        let repo = context.repo
        let refs = try repo.references()
        let mainTip = refs.first { $0.name == "refs/heads/main" }?.id
        let branches = refs.filter { $0.name.hasPrefix("refs/heads/") && $0.name != "refs/heads/main" }
        var threads: [ThreadsModel.Thread] = []
        for ref in branches.prefix(limits.maxThreads) {
            let name = String(ref.name.dropFirst("refs/heads/".count))
            var thread = ThreadsModel.Thread(
                branch: name, logURL: context.paths.log(name), ready: false, needs: nil, blocked: nil, needsRebase: false,
                collected: "", entries: [], truncated: false)
            guard let mainTip else {
                thread.blocked = "main has no commit yet"
                threads.append(thread)
                continue
            }
            let summary = try ThreadSummary.make(
                repo: repo, branch: name, tip: ref.id, mainTip: mainTip, signatures: signatures,
                maxCommits: limits.maxThreadCommits)
            switch summary.status {
            case .ready: thread.ready = true
            case .needs(let count, let accounts):
                thread.needs = "Needs \(count) more of \(accounts.joined(separator: ", ")) before it can be combined onto main."
            case .blocked(let why): thread.blocked = why.capitalizedFirst
            }
            thread.needsRebase = summary.needsRebase
            thread.collected = summary.collected.joined(separator: ", ")
            thread.truncated = summary.truncated
            thread.entries = summary.entries.map { entry in
                var row = CommitRow(
                    entry.id, branch: name, payload: entry.payload, head: entry.head, author: entry.author,
                    paths: context.paths)
                if case .comment(let text)? = entry.payload?.body { row.comment = text }
                var seen = Set<String>()
                let signers = (entry.payload?.credentials ?? []).compactMap(\.account).filter { seen.insert($0).inserted }
                row.signers = signers.joined(separator: ", ")
                return row
            }
            threads.append(thread)
        }
        let model = ThreadsModel(threads: threads, more: branches.count > limits.maxThreads ? limits.maxThreads : nil)
        return ("Threads · \(context.repository.name)", WebTemplates.render(model, "threads"))
    }
}
