import Foundation
import Subprocess

/// The directories of the host's peers (`peers:` in the host config), for redirects: which peer holds a repository
/// this host lacks. Each peer's `/.well-known/dehub/repos.json` is fetched when needed and kept for `ttl`, a failed
/// fetch too (so a dead peer costs one timeout per `ttl`, not one per request). A fetch is bounded: `timeout`
/// seconds in all, `maxBytes` of body, no redirects, http and https only (curl).
///
/// Nothing a peer says is trusted beyond "I list this name": the redirect goes to the peer's configured base URL
/// plus the name asked for, never to a URL the peer's directory names, and the client (git, or `git-remote-dehub`,
/// which verifies) decides what to do with what it gets there.
public actor PeerDirectory {
    public let peers: [String]
    let ttl: Duration
    let timeoutSeconds: Int
    let maxBytes: Int
    private var cache: [String: (fetched: ContinuousClock.Instant, names: Set<String>)] = [:]
    private var inFlight: [String: Task<Set<String>, Never>] = [:]

    public static let defaultTTL: Duration = .seconds(60)
    public static let defaultTimeoutSeconds = 5
    public static let defaultMaxBytes = 4 * 1024 * 1024

    public init(
        peers: [String], ttl: Duration = defaultTTL, timeoutSeconds: Int = defaultTimeoutSeconds,
        maxBytes: Int = defaultMaxBytes
    ) {
        self.peers = peers.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.ttl = ttl
        self.timeoutSeconds = timeoutSeconds
        self.maxBytes = maxBytes
    }

    /// The base URL of the first peer (in config order) whose directory lists `name`, nil when none does.
    public func peer(holding name: RepoName) async -> String? {
        for peer in peers where await names(of: peer).contains(name.path) { return peer }
        return nil
    }

    private func names(of peer: String) async -> Set<String> {
        if let cached = cache[peer], ContinuousClock.now - cached.fetched < ttl { return cached.names }
        if let running = inFlight[peer] { return await running.value }
        let (timeout, limit) = (timeoutSeconds, maxBytes)
        let task = Task { await Self.fetch(peer, timeoutSeconds: timeout, maxBytes: limit) }
        inFlight[peer] = task
        let names = await task.value
        inFlight[peer] = nil
        cache[peer] = (ContinuousClock.now, names)
        return names
    }

    /// The public names a peer lists; empty when it cannot be fetched or read.
    static func fetch(_ peer: String, timeoutSeconds: Int, maxBytes: Int) async -> Set<String> {
        let url = peer + RepoDirectory.path
        do {
            let result = try await Subprocess.run(
                .name("curl"),
                arguments: [
                    "--silent", "--show-error", "--fail", "--max-time", String(timeoutSeconds), "--max-filesize",
                    String(maxBytes), "--proto", "=http,https", "--max-redirs", "0", "--header", "Accept: application/json",
                    "--", url,
                ],
                output: .bytes(limit: maxBytes), error: .discarded)
            guard case .exited(0) = result.terminationStatus else { return [] }
            let directory = try JSONDecoder().decode(RepoDirectory.self, from: Data(result.standardOutput))
            return Set(directory.repos.compactMap { RepoName.validated($0.name)?.path })
        } catch {
            return []
        }
    }
}

extension RepoDirectory {
    /// Where a host publishes its directory.
    public static let path = "/.well-known/dehub/repos.json"
}
