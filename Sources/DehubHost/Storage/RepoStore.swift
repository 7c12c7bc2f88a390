import Foundation

/// Bare repositories under `DATA/repos`: create, list, delete, and the facts rules need.
///
/// Per-repo state lives in the repo itself: `dehub-private` (a marker file) and `dehub-readers`
/// (authorized_keys format), so that copying a repo directory copies its settings.
public struct RepoStore: Sendable {
    public let data: DataDirectory
    public let hooks: HookInstaller

    public init(data: DataDirectory) {
        self.data = data
        self.hooks = HookInstaller(data: data)
    }

    public func path(of name: RepoName) -> String { data.reposDirectory + "/" + name.directoryPath }

    public func exists(_ name: RepoName) -> Bool {
        let path = path(of: name)
        return FileIO.isDirectory(path) && FileIO.exists(path + "/HEAD") && FileIO.isDirectory(path + "/objects")
    }

    public func isPrivate(_ name: RepoName) -> Bool { FileIO.exists(path(of: name) + "/dehub-private") }

    public func readers(of name: RepoName) -> [SSHKeyIdentity] {
        AuthorizedKeysFile.load(path(of: name) + "/dehub-readers")
    }

    /// Whether `refs/heads/main` exists (loose or packed), read from the files-backend refs.
    public func mainExists(_ name: RepoName) -> Bool {
        let path = path(of: name)
        if FileIO.exists(path + "/refs/heads/main") { return true }
        guard let packed = try? FileIO.readText(path + "/packed-refs") else { return false }
        return packed.split(separator: "\n").contains { line in
            line.hasSuffix(" refs/heads/main") && !line.hasPrefix("#") && !line.hasPrefix("^")
        }
    }

    public func facts(_ name: RepoName) -> RepoFacts {
        guard exists(name) else { return .missing }
        return RepoFacts(
            exists: true, isPrivate: isPrivate(name), mainExists: mainExists(name),
            mirrorOf: MirrorFiles.upstream(atRepo: path(of: name)).map(UpstreamURL.redacted))
    }

    /// Creates `NAME.git`: initialised in a hidden temporary directory, guarded (hook, fsck, size limit),
    /// then renamed into place, so that no half-made repository is ever visible.
    public func create(_ name: RepoName, isPrivate: Bool, config: HostConfig) async throws {
        let target = path(of: name)
        guard !FileIO.exists(target) else { throw HostError(.refused, "repository \(name) already exists") }
        let parent = (target as NSString).deletingLastPathComponent
        try FileIO.makeDirectory(parent)
        let temp = data.reposDirectory + "/.creating-" + UUID().uuidString
        do {
            try await GitCommand.check(["init", "--quiet", "--bare", "--template=", "--initial-branch=main", temp])
            try await guardRepo(at: temp, finalPath: target, config: config)
            if isPrivate { try FileIO.writeAtomically("", to: temp + "/dehub-private", mode: 0o644) }
            guard rename(temp, target) == 0 else {
                throw HostError(.io, "cannot move the new repository into \(target)")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
    }

    /// Sets what every repo the host serves must have: the hook, `receive.fsckObjects`, the push size limit,
    /// hooks taken from the repo (never from a user's `core.hooksPath`). `finalPath` is where the repo
    /// will live when it is being prepared elsewhere (`core.hooksPath` must name the final place).
    public func guardRepo(at path: String, finalPath: String? = nil, config: HostConfig) async throws {
        try hooks.installScript(inRepo: path)
        let settings: [(String, String)] = [
            ("receive.fsckObjects", "true"),
            ("receive.maxInputSize", String(config.maxPushBytes)),
            ("core.hooksPath", (finalPath ?? path) + "/hooks"),
            ("uploadpack.allowFilter", "true"),
        ]
        for (key, value) in settings {
            try await GitCommand.check(["--git-dir", path, "config", key, value])
        }
    }

    /// Guards every existing repo (run at start-up).
    public func guardAll(config: HostConfig) async throws -> Int {
        let names = list()
        for name in names { try await guardRepo(at: path(of: name), config: config) }
        return names.count
    }

    /// Moves the repo aside under a hidden name, then removes it.
    public func delete(_ name: RepoName) throws {
        let target = path(of: name)
        guard exists(name) else { throw HostError(.refused, "repository not found") }
        let doomed = data.reposDirectory + "/.deleting-" + UUID().uuidString
        guard rename(target, doomed) == 0 else { throw HostError(.io, "cannot delete \(target)") }
        try? FileManager.default.removeItem(atPath: doomed)
    }

    public func setPrivate(_ name: RepoName, _ isPrivate: Bool) throws {
        guard exists(name) else { throw HostError(.refused, "repository not found") }
        let marker = path(of: name) + "/dehub-private"
        if isPrivate {
            try FileIO.writeAtomically("", to: marker, mode: 0o644)
        } else {
            try? FileManager.default.removeItem(atPath: marker)
        }
    }

    /// Every repository, sorted; hidden directories (temporary ones included) are skipped.
    public func list() -> [RepoName] {
        var found: [RepoName] = []
        walk(relative: "", depth: 0, into: &found)
        return found.sorted()
    }

    private func walk(relative: String, depth: Int, into found: inout [RepoName]) {
        guard depth < RepoName.maxSegments else { return }
        let dir = relative.isEmpty ? data.reposDirectory : data.reposDirectory + "/" + relative
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for entry in entries where !entry.hasPrefix(".") {
            let rel = relative.isEmpty ? entry : relative + "/" + entry
            guard FileIO.isDirectory(dir + "/" + entry) else { continue }
            if entry.hasSuffix(".git") {
                if let name = RepoName.validated(rel), exists(name) { found.append(name) }
            } else {
                walk(relative: rel, depth: depth + 1, into: &found)
            }
        }
    }
}
