import Foundation

/// Reads and writes `dehub-lineage.json` of the repositories in a `RepoStore` (atomic writes: a crash leaves the old
/// file or the new one). A missing file is an empty lineage; a file that does not decode is an error that names it,
/// never silently an empty lineage (a mirror would otherwise be taken for a writable repository).
public struct LineageStore: Sendable {
    public let store: RepoStore

    public init(store: RepoStore) { self.store = store }

    public func path(of name: RepoName) -> String { store.path(of: name) + "/" + ProjectLineage.fileName }

    public func load(_ name: RepoName) throws -> ProjectLineage {
        try Self.load(atRepo: store.path(of: name))
    }

    public static func load(atRepo repoPath: String) throws -> ProjectLineage {
        try JSONFile.load(ProjectLineage.self, from: repoPath + "/" + ProjectLineage.fileName) ?? ProjectLineage()
    }

    public func save(_ lineage: ProjectLineage, for name: RepoName) throws {
        try Self.save(lineage, atRepo: store.path(of: name))
    }

    public static func save(_ lineage: ProjectLineage, atRepo repoPath: String) throws {
        try JSONFile.save(lineage, to: repoPath + "/" + ProjectLineage.fileName)
    }

    /// The repository's lineage with `id` brought up to date from `main` (written back when it changed).
    public func current(_ name: RepoName) async throws -> ProjectLineage {
        var lineage = try load(name)
        let id = try await ProjectIdentity.root(ofMainIn: store.path(of: name))
        if id != lineage.id {
            lineage.id = id
            try? save(lineage, for: name)
        }
        return lineage
    }
}
