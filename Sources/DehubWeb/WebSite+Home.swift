import DehubCore
import DehubGit

extension WebSite {
    struct HomeModel {
        struct Tip {
            var short: String
            var commitURL: String
            var date: String
            var verdict: WebVerdict
        }
        struct Repo {
            var name: String
            var url: String
            var description: String
            var tip: Tip?
        }
        var repos: [Repo]
    }

    /// `/`: each repository the requester may see, its description, and main's tip with its verdict.
    func home(_ visible: [WebRepository], prefix: String) throws -> String {
        var rows: [HomeModel.Repo] = []
        for repository in visible {
            let paths = WebPath(prefix: prefix, repository: repository.name)
            var row = HomeModel.Repo(name: repository.name, url: paths.page, description: "", tip: nil)
            if let repo = try? GitRepository.open(path: repository.path), let tip = try? repo.reference("refs/heads/main") {
                let context = PageContext(repository: repository, paths: paths, repo: repo)
                let (verifier, cache) = self.verifier(context, anchor: tip)
                let verdict = verifier.verify(tip, branch: "main", nonFastForward: false)
                verdicts.save(cache, for: repository.name)
                let info = try? repo.commit(tip)
                let moved = (try? repo.people(ofCommit: tip).committer.seconds).map(WebDate.format) ?? ""
                row.tip = HomeModel.Tip(
                    short: tip.short, commitURL: paths.commit(tip.hex), date: moved,
                    verdict: WebVerdict(verdict, payload: info.flatMap { Self.payload($0.message) }))
                row.description = description(repo: repo, tip: tip)
            }
            rows.append(row)
        }
        return WebTemplates.render(HomeModel(repos: rows), "home")
    }

    /// The first line of prose in main's README (headings, badges and HTML skipped), at most 160 characters.
    func description(repo: GitRepository, tip: ObjectID) -> String {
        guard let tree = try? repo.tree(ofCommit: tip) else { return "" }
        for name in Self.readmeNames {
            guard let bytes = try? repo.blob(at: name, inTree: tree, limit: limits.maxReadmeBytes) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmed(of: " \t\r")
                guard !trimmed.isEmpty, !"#<![=-|`>".contains(trimmed.first!) else { continue }
                return trimmed.count > 160 ? String(trimmed.prefix(159)) + "…" : trimmed
            }
        }
        return ""
    }

    static let readmeNames = ["README.md", "README.markdown", "README", "README.txt", "readme.md"]
}

extension Substring {
    func trimmed(of set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
