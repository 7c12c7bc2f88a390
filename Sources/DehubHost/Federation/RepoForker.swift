import Foundation

/// `repo fork SRC DST`: a derivative of a repository on the same host, with its lineage recorded.
///
/// *(decision)* Objects are shared by a local clone (`git clone --bare --local`): git hard-links the object files,
/// so a fork costs no copy of the history, yet owns its objects outright. Alternates (`--shared`) would cost even
/// less but tie the fork to its source: deleting or repacking the source would break it, and every object of the
/// source (refused pushes' leftovers included) would be readable through the fork. The fork gets every branch and
/// release tag of the source, the hook and the host's settings like a created repository, and is made in a hidden
/// directory and renamed into place. It is private when the source is (or with `--private`); the source's readers
/// are not copied.
///
/// `newRoot`: the fork starts empty, for a derivative that changes the accounts: its admin pushes a new root commit
/// whose config names the new accounts (the fork's own root of trust, docs/format.md §14).
public struct RepoForker: Sendable {
    public let store: RepoStore
    public let config: HostConfig

    public init(store: RepoStore, config: HostConfig) {
        self.store = store
        self.config = config
    }

    public struct Result: Sendable, Equatable {
        public var lineage: ProjectLineage
        public var isPrivate: Bool
    }

    public func fork(
        _ source: RepoName, to destination: RepoName, sourceURL: String, isPrivate: Bool = false, newRoot: Bool = false,
        now: Date = Date()
    ) async throws -> Result {
        guard store.exists(source) else { throw HostError(.refused, "repository \(source) not found") }
        guard source != destination else { throw HostError(.usage, "a repository cannot be forked onto itself") }
        let target = store.path(of: destination)
        guard !FileIO.exists(target) else { throw HostError(.refused, "repository \(destination) already exists") }
        let sourcePath = store.path(of: source)
        guard let sourceID = try await ProjectIdentity.root(ofMainIn: sourcePath) else {
            throw HostError(.refused, "repository \(source) has no main branch yet: there is nothing to fork")
        }
        var lineage = ProjectLineage(
            id: newRoot ? nil : sourceID,
            forkedFrom: [ProjectLineage.Parent(id: sourceID, url: sourceURL, at: ProjectLineage.timestamp(now))])
        let makePrivate = isPrivate || store.isPrivate(source)
        try FileIO.makeDirectory((target as NSString).deletingLastPathComponent)
        let temp = store.data.reposDirectory + "/.creating-" + UUID().uuidString
        do {
            if newRoot {
                try await GitCommand.check(["init", "--quiet", "--bare", "--template=", "--initial-branch=main", temp])
            } else {
                try await GitCommand.check(["clone", "--quiet", "--bare", "--local", "--template=", sourcePath, temp])
                // The clone remembers where it came from; the fork is a repository of its own.
                try await GitCommand.check(["--git-dir", temp, "remote", "remove", "origin"])
            }
            try await store.guardRepo(at: temp, finalPath: target, config: config)
            if makePrivate { try FileIO.writeAtomically("", to: temp + "/dehub-private", mode: 0o644) }
            lineage.version = 1
            try LineageStore.save(lineage, atRepo: temp)
            guard rename(temp, target) == 0 else { throw HostError(.io, "cannot move the fork into \(target)") }
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
        return Result(lineage: lineage, isPrivate: makePrivate)
    }
}
