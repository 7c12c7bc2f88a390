import Foundation
import Synchronization

/// Members' keys per repository, cached by the commit `main` points at: `MemberKeys.load` costs a `git show`
/// per lookup, and the keys only change when `main` does. A new `main` (a push, a deleted and re-created
/// repository) misses the cache and is read again; reading the ref is two small file reads.
public final class MemberKeysCache: Sendable {
    private let entries = Mutex<[String: (main: String, keys: Set<SSHKeyIdentity>)]>([:])

    public init() {}

    /// The members' keys of the repository at `repoPath` as of its current `main` (none without `main`).
    public func keys(repoPath: String) async -> Set<SSHKeyIdentity> {
        guard let main = Self.mainCommit(repoPath: repoPath) else { return [] }
        if let hit = entries.withLock({ $0[repoPath] }), hit.main == main { return hit.keys }
        let keys = await MemberKeys.load(repoPath: repoPath)
        // Stored under the commit read before loading: if main moved meanwhile, the next lookup reloads.
        entries.withLock { $0[repoPath] = (main, keys) }
        return keys
    }

    /// The object id `refs/heads/main` holds (loose ref, else packed-refs), or nil.
    static func mainCommit(repoPath: String) -> String? {
        if let loose = try? String(contentsOfFile: repoPath + "/refs/heads/main", encoding: .utf8) {
            let id = loose.trimmingCharacters(in: .whitespacesAndNewlines)
            return isObjectID(id) ? id : nil
        }
        guard let packed = try? String(contentsOfFile: repoPath + "/packed-refs", encoding: .utf8) else { return nil }
        for line in packed.split(separator: "\n") where line.hasSuffix(" refs/heads/main") {
            let id = String(line.prefix(while: { $0 != " " }))
            if isObjectID(id) { return id }
        }
        return nil
    }

    private static func isObjectID(_ text: String) -> Bool {
        (text.utf8.count == 40 || text.utf8.count == 64)
            && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}
