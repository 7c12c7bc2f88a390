import Foundation

/// `GET /.well-known/dehub/repos.json`: what this host holds, for people, other hosts and tools. Public repositories
/// only (a private one is never listed, whoever asks), each with its project id (the root of its `main`), the
/// verified tip of `main` and when it was verified, and its lineage.
///
///     {"version": 1, "repos": [{"name": "demo", "id": "ROOT", "main": "TIP", "verified_at": "2026-...Z",
///       "mirror_of": null, "forked_from": [], "clone_url": "https://host/demo.git"}]}
public struct RepoDirectory: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        public var name: String
        public var id: String?
        public var main: String?
        public var verifiedAt: String?
        public var mirrorOf: String?
        public var forkedFrom: [ProjectLineage.Parent]
        public var cloneURL: String?

        enum CodingKeys: String, CodingKey {
            case name, id, main
            case verifiedAt = "verified_at"
            case mirrorOf = "mirror_of"
            case forkedFrom = "forked_from"
            case cloneURL = "clone_url"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(id, forKey: .id)
            try container.encode(main, forKey: .main)
            try container.encode(verifiedAt, forKey: .verifiedAt)
            try container.encode(mirrorOf, forKey: .mirrorOf)
            try container.encode(forkedFrom, forKey: .forkedFrom)
            try container.encodeIfPresent(cloneURL, forKey: .cloneURL)
        }
    }

    public var version: Int = 1
    public var repos: [Entry]

    public init(repos: [Entry]) { self.repos = repos }

    /// The directory of the repositories in `store` (public ones only).
    public static func build(store: RepoStore, urls: CloneURLs) async -> RepoDirectory {
        let lineages = LineageStore(store: store)
        let mirrors = MirrorFiles(store: store)
        var entries: [Entry] = []
        for name in store.list() where !store.isPrivate(name) {
            let path = store.path(of: name)
            let tip = try? await ProjectIdentity.mainTip(in: path)
            let id = try? await tip.asyncMap { try await ProjectIdentity.root(of: $0, in: path) }
            let lineage = (try? lineages.load(name)) ?? ProjectLineage()
            var verifiedAt: String? = nil
            if mirrors.isMirror(name) {
                verifiedAt = (try? mirrors.state(name))?.refs["refs/heads/main"]?.verifiedAt
            } else if tip != nil {
                verifiedAt = Self.lastMoved(mainOf: path).map { ProjectLineage.timestamp($0) }
            }
            entries.append(
                Entry(
                    name: name.path, id: id ?? nil, main: tip, verifiedAt: verifiedAt,
                    mirrorOf: lineage.mirrorOf ?? MirrorFiles.upstream(atRepo: path).map(UpstreamURL.redacted),
                    forkedFrom: lineage.forkedFrom, cloneURL: urls.httpBase.isEmpty ? nil : urls.http(name)))
        }
        return RepoDirectory(repos: entries)
    }

    /// When `main` last moved (the hook verified every push that moved it): the time of its loose ref, else of
    /// `packed-refs`.
    static func lastMoved(mainOf repoPath: String) -> Date? {
        for file in [repoPath + "/refs/heads/main", repoPath + "/packed-refs"] {
            if let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                let date = attributes[.modificationDate] as? Date
            {
                return date
            }
        }
        return nil
    }

    public func json() throws -> Data { try JSONFile.encode(self, pretty: false) }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
