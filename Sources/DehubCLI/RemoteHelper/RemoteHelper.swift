import DehubCore
import DehubGit
import DehubReplication
import DehubVerification

#if canImport(Glibc)
    import Glibc
#endif

/// `git-remote-dehub REMOTE URL`, which git runs for `dehub::URL` remotes: git's remote-helper protocol with the
/// `fetch` and `option` capabilities. `list` fetches every source into the remote's replica cache and verifies it
/// (`Replicator`), then lists only verified tips; `fetch` copies the objects of those tips from the cache, so
/// objects of refused history never enter the user's repository. The same binary as `dehub` (run by this name).
public enum RemoteHelper {
    public static func main(arguments: [String]) async -> Int32 {
        let git = GitTool()
        let session = RemoteHelperSession(settings: .from(arguments: arguments, git: git))
        do {
            try await session.run()
            return 0
        } catch let failure as RemoteHelperFailure {
            for line in failure.lines { Output.err("dehub: " + line) }
            if let hint = failure.hint { Output.err("hint: " + hint) }
        } catch let error as ReplicationError {
            Output.err("dehub: " + error.message)
            if let hint = error.hint { Output.err("hint: " + hint) }
        } catch let error as VerificationError {
            Output.err("dehub: " + error.message)
            if let hint = error.hint { Output.err("hint: " + hint) }
        } catch let error as GitError {
            Output.err("dehub: the replica cache could not be read: \(error.message)")
        } catch {
            Output.err("dehub: internal error: \(error)")
        }
        return 128
    }
}

/// One run of the helper: the commands git sends on stdin, answered on stdout.
final class RemoteHelperSession {
    let settings: RemoteSettings
    private var refusedOption: String?
    /// The refusal was already printed when git set the option.
    private var refusalShown = false
    private var report: SyncReport?
    private var cache: ReplicaCache?
    private var temporaryCache: String?
    private var quiet = false
    /// The cache was made by this run (a first clone or fetch): it holds only what this sync fetched.
    private var cacheIsNew = false

    init(settings: RemoteSettings) { self.settings = settings }

    deinit {
        if let temporaryCache { _ = try? FileRemoval.removeTree(temporaryCache) }
    }

    func run() async throws {
        let input = LineReader(fd: 0)
        while let line = try input.next() {
            if line.isEmpty { return }
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            switch words[0] {
            case "capabilities":
                Output.out("fetch\noption\n")
            case "option":
                Output.out(option(words.count > 1 ? words[1] : ""))
            case "list":
                for row in try await list() { Output.out(row) }
                Output.out("")
            case "fetch":
                var batch = [line]
                while let next = try input.next(), !next.isEmpty { batch.append(next) }
                try await fetch(batch)
                Output.out("")
            default:
                throw RemoteHelperFailure(
                    "git asked for '\(TerminalText.safe(String(line.prefix(64))))', which this helper does not do")
            }
        }
    }

    /// `option NAME VALUE`: shallow and partial requests are refused (history from the root is what makes
    /// verification possible); the rest git may do as it likes.
    private func option(_ text: String) -> String {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts.first ?? "", value = parts.count > 1 ? parts[1] : ""
        switch name {
        case "depth", "deepen-since", "deepen-not", "deepen-relative", "filter":
            let what = name == "filter" ? "partial clones and fetches (--filter)" : "shallow clones and fetches (--\(name))"
            let reason =
                "\(what) are refused: dehub verifies every commit from the pinned root, which needs the whole history"
            refusedOption = reason
            refusalShown = true
            Output.err("dehub: " + reason)
            return "error " + reason
        case "verbosity":
            quiet = (Int(value) ?? 1) < 1
            return "ok"
        case "progress", "followtags", "cloning":
            return "ok"
        default:
            return "unsupported"
        }
    }

    private func list() async throws -> [String] {
        if let refusedOption {
            throw RemoteHelperFailure(
                refusalShown ? "nothing was fetched" : refusedOption, hint: "clone or fetch without --depth or --filter")
        }
        let configured = try await settings.pinnedRoot()
        let cache = try await openCache()
        let report = try await Replicator(cache: cache, sources: try await settings.sources(), pinnedRoot: configured).sync()
        self.report = report
        for warning in report.warnings { Self.warn(warning) }
        try refuseUnlessMainVerified(report)
        for outcome in report.refs {
            switch outcome.result {
            case .verified(_, let commits, let source) where !quiet:
                Output.err(
                    "dehub: \(Self.short(outcome.ref)): \(commits) commit(s) verified (from \(TerminalText.safe(source)))")
            case .refused(let message, let served, let source) where outcome.ref != RefUpdate.mainRef:
                let kept = outcome.tip.map { "; the verified \($0.short) stays" } ?? "; left out"
                Self.warn("\(Self.short(outcome.ref)) at \(served.short) from \(source) does not verify\(kept):\n\(message)")
            default: break
            }
        }
        if let root = report.root {
            if report.pinnedNow { try trustNotice(root: root, main: report.state.main, cache: cache) }
            if configured == nil, settings.remote != nil { try await settings.pin(root) }
        }
        var rows = report.state.tips.sorted { Replicator.mainFirst($0.key, $1.key) }.map { "\($0.value.hex) \($0.key)" }
        if report.state.main != nil { rows.append("@\(RefUpdate.mainRef) HEAD") }
        return rows
    }

    /// A main that does not verify fails the whole fetch with the engine's message; nothing moves.
    private func refuseUnlessMainVerified(_ report: SyncReport) throws {
        guard let main = report.main else {
            throw RemoteHelperFailure("\(settings.url) has no main branch to verify", hint: "check the URL")
        }
        switch main.result {
        case .verified, .unchanged:
            return
        case .refused(let message, let served, let source):
            throw RemoteHelperFailure(
                "main at \(served.short) from \(source) does not verify; nothing was fetched",
                more: message.split(separator: "\n").map(String.init),
                hint: "this mirror serves history the project's rules refuse: fetch from another one")
        case .behind(let verified, let served, let source):
            throw RemoteHelperFailure(
                "\(source) serves main at \(served.short), behind the verified main \(verified.short): it was rewound, or it withholds updates; nothing was fetched",
                hint: "fetch from another mirror (git config --add remote.\(settings.remote ?? "NAME").dehubMirror URL)")
        case .unreachable:
            let why = report.sources.compactMap(\.failure).first.map { ": " + $0 } ?? ""
            throw RemoteHelperFailure("no source of main could be reached\(why)")
        case .removed:
            throw RemoteHelperFailure("main was removed (internal error)")
        }
    }

    /// First use: whom the user now trusts.
    private func trustNotice(root: ObjectID, main: ObjectID?, cache: ReplicaCache) throws {
        let repo = try cache.repository()
        let remote = settings.remote.map { "remote.\($0).dehubRoot" } ?? "not kept: no named remote"
        Output.err("dehub: pinned the root of trust: \(root.hex) (\(remote))")
        guard let main else { return }
        Output.err("dehub: main (\(main.short)) is governed by these accounts and keys; check them with the project:")
        for entry in try TrustedAccounts.of(commit: main, in: repo) {
            Output.err("dehub:   \(entry.account): \(entry.keys.joined(separator: ", "))")
        }
    }

    /// `fetch SHA NAME` lines: the objects of verified tips only, copied from the cache.
    private func fetch(_ lines: [String]) async throws {
        if let refusedOption, !refusalShown { throw RemoteHelperFailure(refusedOption) }
        if refusedOption != nil { throw RemoteHelperFailure("nothing was fetched") }
        guard let report, let cache else { throw RemoteHelperFailure("git asked to fetch before listing the refs") }
        guard let gitDir = settings.gitDir else { throw RemoteHelperFailure("git asked to fetch outside a repository") }
        let verified = Set(report.state.tips.values)
        var wanted: [ObjectID] = []
        for line in lines {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let id = ObjectID(hex: fields[1]) else {
                throw RemoteHelperFailure("malformed fetch command from git: '\(TerminalText.safe(String(line.prefix(100))))'")
            }
            guard verified.contains(id) else {
                throw RemoteHelperFailure("git asked for \(id.short), which is not a verified tip")
            }
            wanted.append(id)
        }
        // A clone whose sources all verified in full: the cache's one pack is handed on as it is (a hard link).
        let allVerified = report.refs.allSatisfy {
            if case .verified = $0.result { return true }
            return false
        }
        if cacheIsNew, allVerified, report.warnings.isEmpty, report.sources.allSatisfy(\.isReachable),
            try await cache.linkPacks(into: gitDir)
        {
            return
        }
        try await cache.copyObjects(of: wanted, into: gitDir)
    }

    private func openCache() async throws -> ReplicaCache {
        if let cache { return cache }
        let path: String
        if let kept = settings.cachePath {
            path = kept
        } else {
            path = try FileRemoval.temporaryDirectory(prefix: "dehub-replica") + "/cache.git"
            temporaryCache = String(path.dropLast("/cache.git".count))
        }
        cacheIsNew = access(path, F_OK) != 0
        let cache = try await ReplicaCache.open(at: path, git: settings.git)
        self.cache = cache
        return cache
    }

    /// A warning, every line of it prefixed (engine messages span several lines).
    private static func warn(_ text: String) {
        for (i, line) in text.split(separator: "\n").enumerated() {
            Output.err((i == 0 ? "dehub: warning: " : "dehub:   ") + line)
        }
    }

    private static func short(_ ref: String) -> String {
        TerminalText.safe(ref.hasPrefix("refs/heads/") ? String(ref.dropFirst("refs/heads/".count)) : ref)
    }
}
