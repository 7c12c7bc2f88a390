import Foundation

/// Adding mirrors and reporting on them; shared by `dehub-host mirror ...` and the SSH admin commands.
public struct MirrorRegistry: Sendable {
    public let store: RepoStore
    public let files: MirrorFiles

    public init(store: RepoStore) {
        self.store = store
        self.files = MirrorFiles(store: store)
    }

    /// Creates `name` as a read-only mirror of `upstream` (nothing is fetched yet: the next sync does it).
    public func add(_ name: RepoName, from upstream: String, root: String?, isPrivate: Bool, config: HostConfig) async throws
        -> MirrorSpec
    {
        let url = try UpstreamURL.validate(upstream).get()
        if let root, !ProjectIdentity.isObjectID(root) {
            throw HostError(.usage, "--root must be a full commit id (40 lower-case hex digits), not '\(root)'")
        }
        let spec = MirrorSpec(upstream: url, root: root)
        try await store.create(name, isPrivate: isPrivate, config: config)
        // A cache left by an earlier mirror of the same name is not this mirror's: start from nothing.
        try? FileManager.default.removeItem(atPath: files.cachePath(name))
        do {
            try files.saveSpec(spec, for: name)
            try LineageStore(store: store).save(ProjectLineage(id: nil, mirrorOf: UpstreamURL.redacted(url)), for: name)
        } catch {
            try? store.delete(name)
            throw error
        }
        return spec
    }

    public struct Status: Encodable, Equatable, Sendable {
        public var name: String
        public var upstream: String
        public var root: String?
        public var rootSource: MirrorSpec.RootSource?
        public var lastSync: String?
        public var problem: String?
        public var refs: [String: MirrorState.RefState]

        enum CodingKeys: String, CodingKey {
            case name, upstream, root, problem, refs
            case rootSource = "root_source"
            case lastSync = "last_sync"
        }
    }

    public func status(_ names: [RepoName]? = nil) throws -> [Status] {
        try (names ?? files.mirrors()).map { name in
            guard let spec = try files.spec(name) else { throw HostError(.refused, "\(name) is not a mirror") }
            let state = try files.state(name)
            return Status(
                name: name.path, upstream: UpstreamURL.redacted(spec.upstream), root: spec.root, rootSource: spec.rootSource,
                lastSync: state.lastSync, problem: state.problem, refs: state.refs)
        }
    }
}

/// `mirror status` as text for people, or JSON.
public enum MirrorStatusText {
    public static func human(_ statuses: [MirrorRegistry.Status]) -> String {
        guard !statuses.isEmpty else { return "no mirrors\n" }
        var out = ""
        for status in statuses {
            let root =
                status.root.map { "root \($0) (\(status.rootSource?.rawValue ?? "pinned"))" } ?? "root: taken on first sync"
            out += "\(status.name): read-only mirror of \(status.upstream); \(root)\n"
            out += "  last sync: \(status.lastSync ?? "never")\n"
            if let problem = status.problem { out += "  \(problem)\n" }
            for ref in status.refs.keys.sorted() {
                guard let entry = status.refs[ref] else { continue }
                var line = "  \(ref): \(entry.result.rawValue)"
                if let tip = entry.tip { line += ", serving \(tip)" }
                if let verifiedAt = entry.verifiedAt { line += " (verified \(verifiedAt))" }
                if entry.result == .refused, let upstreamTip = entry.upstreamTip { line += "; upstream at \(upstreamTip)" }
                out += line + "\n"
                if entry.result != .verified, let message = entry.message, message != status.problem {
                    for messageLine in message.split(separator: "\n") { out += "    \(messageLine)\n" }
                }
            }
        }
        return out
    }

    public static func json(_ statuses: [MirrorRegistry.Status]) throws -> String {
        String(decoding: try JSONFile.encode(statuses), as: UTF8.self) + "\n"
    }
}
