/// Where a mirror keeps its files: the spec and the state in the served repository's directory (copied with it, like
/// `dehub-private`), and the side cache the upstream is fetched into outside `DATA/repos`, so it is never served.
public struct MirrorFiles: Sendable {
    public let store: RepoStore

    public init(store: RepoStore) { self.store = store }

    public func specPath(_ name: RepoName) -> String { store.path(of: name) + "/" + MirrorSpec.fileName }
    public func statePath(_ name: RepoName) -> String { store.path(of: name) + "/" + MirrorState.fileName }
    public func lockPath(_ name: RepoName) -> String { store.path(of: name) + "/dehub-mirror.lock" }
    /// `DATA/mirror-cache/NAME.git`: what the upstream serves, verified or not; never served by the host.
    public func cachePath(_ name: RepoName) -> String { store.data.root + "/mirror-cache/" + name.directoryPath }

    public func isMirror(_ name: RepoName) -> Bool { FileIO.exists(specPath(name)) }

    public func spec(_ name: RepoName) throws -> MirrorSpec? { try JSONFile.load(MirrorSpec.self, from: specPath(name)) }
    /// Mode 0600: the upstream URL may carry a token (`https://x:TOKEN@host/auth/NAME.git`).
    public func saveSpec(_ spec: MirrorSpec, for name: RepoName) throws {
        try JSONFile.save(spec, to: specPath(name), mode: 0o600)
    }

    public func state(_ name: RepoName) throws -> MirrorState {
        try JSONFile.load(MirrorState.self, from: statePath(name)) ?? MirrorState()
    }
    public func saveState(_ state: MirrorState, for name: RepoName) throws { try JSONFile.save(state, to: statePath(name)) }

    /// Every mirror on the host.
    public func mirrors() -> [RepoName] { store.list().filter(isMirror) }

    /// The upstream a repository mirrors, for the access rules: nil for a repository that is not a mirror. A spec
    /// that cannot be read still makes the repository a mirror (fail closed: it stays read-only).
    public static func upstream(atRepo repoPath: String) -> String? {
        let path = repoPath + "/" + MirrorSpec.fileName
        guard FileIO.exists(path) else { return nil }
        return (try? JSONFile.load(MirrorSpec.self, from: path))??.upstream ?? "an upstream (its settings cannot be read)"
    }
}
