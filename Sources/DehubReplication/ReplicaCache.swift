import DehubCore
import DehubGit

/// The side repository a replica fetches into: a bare repository only the replica writes. Each source's branches
/// land under `refs/dehub/sources/N/heads/*` (objects checked by `transfer.fsckObjects`), untrusted; the verified
/// state is its `refs/heads/*` and `dehub.root`. Objects of refused history stay here: what is served or copied
/// onwards is only what its `refs/heads/*` reach, and only those refs are advertised (`uploadpack.hideRefs`).
public struct ReplicaCache: Sendable {
    /// The cache's git directory.
    public let path: String
    let git: GitTool

    static let sourcesNamespace = "refs/dehub/sources/"
    static let rootKey = "dehub.root"
    static let versionKey = "dehub.replicaCache"
    /// Up to this many objects are copied onwards in process; more are packed by git.
    static let inProcessCopyLimit = 10_000

    /// Opens the cache at `path`, creating a bare repository there (and its settings) when there is none.
    public static func open(at path: String, git: GitTool = GitTool()) async throws -> ReplicaCache {
        let cache = ReplicaCache(path: path, git: git)
        let existing = try? GitRepository.open(path: path)
        // Set up once: the last setting written marks a cache whose settings are all there.
        if existing?.isBare == true, existing?.configValue(Self.versionKey) == "1" { return cache }
        if existing?.isBare != true {
            try await git.check(["init", "--bare", "-q", path], gitDir: nil)
        }
        for (key, value) in [
            ("transfer.fsckObjects", "true"), ("fetch.fsckObjects", "true"), ("gc.auto", "0"),
            ("uploadpack.hideRefs", "refs/dehub/"), ("core.logAllRefUpdates", "false"), (Self.versionKey, "1"),
        ] {
            try await git.check(["config", key, value], gitDir: path)
        }
        return cache
    }

    /// Opens a libgit2 handle on the cache.
    public func repository() throws -> GitRepository {
        do {
            return try GitRepository.open(path: path)
        } catch let error as GitError {
            throw ReplicationError("the replica cache \(path) cannot be read: \(error.message)")
        }
    }

    /// The verified state kept in the cache.
    public func state() throws -> VerifiedState {
        let repo = try repository()
        var state = VerifiedState()
        if let text = repo.configValue(Self.rootKey) {
            guard let root = ObjectID(hex: text) else {
                throw ReplicationError(
                    "the replica cache \(path) has a malformed \(Self.rootKey) '\(text.prefix(64))'",
                    hint: "remove the cache directory to start again from a pinned root", status: .dataError)
            }
            state.root = root
        }
        for (name, id) in try repo.references() where name.hasPrefix("refs/heads/") {
            state.tips[name] = id
        }
        return state
    }

    /// Pins the root of trust (first use).
    func pin(root: ObjectID) async throws {
        try await git.check(["config", Self.rootKey, root.hex], gitDir: path)
    }

    /// The ref namespace source number `index` is fetched into.
    static func namespace(_ index: Int) -> String { sourcesNamespace + "\(index)/heads/" }

    /// Fetches every branch of `source` into its namespace (pruning the branches it no longer has). Returns nil on
    /// success, else git's message.
    func fetch(_ source: ReplicationSource, index: Int) async throws -> String? {
        let output = try await git.run(
            [
                "-c", "transfer.fsckObjects=true", "-c", "fetch.fsckObjects=true", "-c", "maintenance.auto=false",
                "fetch", "--quiet", "--no-tags",
                "--prune", "--no-write-fetch-head", "--no-recurse-submodules", "--", source.url,
                "+refs/heads/*:\(Self.namespace(index))*",
            ], gitDir: path)
        return output.succeeded ? nil : output.lastMessage
    }

    /// The branches source number `index` served at its last fetch: short name to tip.
    func served(by index: Int, in repo: GitRepository) throws -> [String: ObjectID] {
        let prefix = Self.namespace(index)
        var tips: [String: ObjectID] = [:]
        for (name, id) in try repo.references() where name.hasPrefix(prefix) {
            tips[String(name.dropFirst(prefix.count))] = id
        }
        return tips
    }

    /// Moves the verified ref `ref` from `old` (nil: it does not exist) to `new` (nil: delete it), refusing when it
    /// is no longer at `old` (another sync moved it).
    func advance(_ ref: String, from old: ObjectID?, to new: ObjectID?) async throws {
        if let new {
            do {
                try repository().updateReference(ref, to: new, expecting: old, message: "dehub: verified")
            } catch let error as GitError {
                throw ReplicationError("the replica cache's \(ref) could not be moved: \(error.message)")
            }
            return
        }
        let zero = String(repeating: "0", count: 40)
        let line: String
        if let new {
            line = "update \(ref) \(new.hex) \(old?.hex ?? zero)\n"
        } else {
            guard let old else { return }
            line = "delete \(ref) \(old.hex)\n"
        }
        try await git.check(["update-ref", "--stdin"], gitDir: path, input: Array(line.utf8))
    }
}

extension ReplicaCache {
    /// Copies into the repository at `gitDir` the objects `tips` reach, which must be verified tips of the cache
    /// (the only refs it advertises): objects of refused history are never sent. No ref of `gitDir` moves.
    public func copyObjects(of tips: [ObjectID], into gitDir: String) async throws {
        guard !tips.isEmpty else { return }
        // A few new commits (an incremental fetch): written in process, far cheaper than four git processes.
        do {
            let target = try GitRepository.open(path: gitDir)
            try repository().copyObjects(reachableFrom: tips, into: target, maxObjects: Self.inProcessCopyLimit)
            return
        } catch is TooManyObjectsToCopy {
            // A large transfer: git packs it.
        }
        try await git.check(
            [
                "-c", "gc.auto=0", "-c", "maintenance.auto=false", "fetch", "--quiet", "--no-tags", "--no-write-fetch-head",
                "--no-recurse-submodules", path,
            ]
                + tips.map(\.hex), gitDir: gitDir)
    }
}

extension ReplicaCache {
    /// Hard-links the cache's pack into the repository at `gitDir` (a fresh clone's): far cheaper than packing the
    /// objects again. Only when the cache holds one pack and no loose object, and that pack holds exactly the
    /// objects the verified tips reach (a source may stuff a pack with objects no ref reaches: those must not be
    /// handed on). Returns false, having linked nothing, otherwise; the caller then uses `copyObjects(of:into:)`.
    public func linkPacks(into gitDir: String) async throws -> Bool {
        let objects = path + "/objects"
        guard let entries = try? FileNames.list(objects) else { return false }
        // Loose objects live in two-hex-digit directories; pack/ and info/ do not count.
        if entries.contains(where: { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) { return false }
        guard let names = try? FileNames.list(objects + "/pack") else { return false }
        let packs = names.filter { $0.hasPrefix("pack-") && $0.hasSuffix(".pack") }
        guard packs.count == 1, let base = packs.first.map({ String($0.dropLast(".pack".count)) }),
            let packed = FileNames.packIndexCount(objects + "/pack/" + base + ".idx")
        else { return false }
        let reachable = try await git.check(["rev-list", "--objects", "--branches"], gitDir: path)
        guard reachable.utf8.reduce(0, { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }) == packed else { return false }
        var linked: [String] = []
        // The index last: git only uses a pack once its .idx is there.
        let files = names.filter { $0.hasPrefix(base + ".") && !$0.hasSuffix(".keep") }
        for file in files.sorted(by: { ($0.hasSuffix(".idx") ? 1 : 0) < ($1.hasSuffix(".idx") ? 1 : 0) }) {
            let target = gitDir + "/objects/pack/" + file
            guard FileNames.link(objects + "/pack/" + file, target) else {
                for done in linked { FileNames.remove(done) }
                return false
            }
            linked.append(target)
        }
        return true
    }
}
