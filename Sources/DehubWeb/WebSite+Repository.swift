import DehubCore
import DehubGit

extension WebSite {
    struct RepositoryModel {
        struct Key {
            var kind: String
            var fingerprint: String
        }
        struct Account {
            var id: String
            var keys: [Key]
        }
        var name: String
        var cloneHTTP: String
        var cloneSSH: String
        var mirrorOf: String?
        var forkedFrom: [String]
        var hasMain: Bool
        var configError: String?
        var rules: [String]
        var defaults: [String]
        var bindCredentials: Bool
        var accounts: [Account]
        struct Tag {
            var name: String
            var short: String
            var url: String
        }
        /// Release tags (at most `maxThreads`), newest name last as git sorts them.
        var tags: [Tag]
        var hasTags = false
        var readmeName: String?
        /// cmark-gfm's HTML (safe mode): the one unescaped value of the page.
        var readme: String?
    }

    /// `/NAME`: main's README, the clone URLs, and main's rules in plain words with the accounts and their keys.
    func repositoryPage(_ context: PageContext) throws -> (String, String) {
        let repo = context.repo
        var model = RepositoryModel(
            name: context.repository.name, cloneHTTP: context.repository.cloneHTTP, cloneSSH: context.repository.cloneSSH,
            mirrorOf: context.repository.mirrorOf, forkedFrom: context.repository.forkedFrom,
            hasMain: false, configError: nil, rules: [], defaults: RulesText.defaults, bindCredentials: false, accounts: [],
            tags: [], readmeName: nil, readme: nil)
        model.tags = try repo.references().filter { $0.name.hasPrefix("refs/tags/") }.prefix(limits.maxThreads).map {
            RepositoryModel.Tag(
                name: String($0.name.dropFirst("refs/tags/".count)), short: $0.id.short, url: context.paths.commit($0.id.hex))
        }
        model.hasTags = !model.tags.isEmpty
        if let tip = try repo.reference("refs/heads/main") {
            model.hasMain = true
            let tree = try repo.tree(ofCommit: tip)
            switch try ConfigLoader(repository: repo).load(tree: tree) {
            case .success(let governing):
                model.rules = RulesText.sentences(governing.config)
                model.bindCredentials = governing.config.bindCredentials
                model.accounts = governing.config.accounts.map { account in
                    let keys = governing.keys[account.id] ?? GoverningConfig.AccountKeys()
                    return RepositoryModel.Account(
                        id: account.id,
                        keys: keys.ssh.map { RepositoryModel.Key(kind: "ssh", fingerprint: Self.sshFingerprint($0)) }
                            + keys.pgp.map { RepositoryModel.Key(kind: "pgp", fingerprint: pgpKeyIDs($0)) })
                }
            case .failure(let error):
                model.configError = "The config on main is invalid: \(error.message)"
            }
            for name in Self.readmeNames {
                guard let entry = try repo.entry(at: name, inTree: tree), entry.kind == .blob else { continue }
                model.readmeName = name
                if try repo.objectSize(entry.id) > limits.maxReadmeBytes {
                    model.readme = "<p>The README is too large to show here.</p>"
                } else {
                    let text = String(decoding: try repo.blob(entry.id, limit: limits.maxReadmeBytes), as: UTF8.self)
                    model.readme =
                        name.lowercased().hasSuffix(".md") || name.hasSuffix(".markdown")
                        ? MarkdownRenderer.html(text) : "<pre>" + HTMLText.escape(text) + "</pre>"
                }
                break
            }
        }
        return (context.repository.name, WebTemplates.render(model, "repo"))
    }

    static func sshFingerprint(_ line: String) -> String {
        (try? SSHPublicKeyLine(parsing: line)).map { "\($0.algorithm) \($0.fingerprint)" } ?? "unreadable key"
    }

    func pgpKeyIDs(_ armored: String) -> String {
        (try? signatures.openPGPKeyIDs(armoredKey: armored)).map { $0.joined(separator: ", ") } ?? "unreadable key"
    }
}

/// Escaping for the few places that build HTML outside a template (a plain-text README).
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
