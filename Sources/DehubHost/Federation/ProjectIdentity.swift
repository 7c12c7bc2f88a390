import Synchronization

/// A project's identity: the root commit of its `main`, reached by first parents (the project id of format §6.7,
/// the root of trust of §9.1). Read with git; remembered per repository and tip of `main`, so that the directory
/// walks a history once per push, not once per request.
public enum ProjectIdentity {
    private static let roots = Mutex<[String: (tip: String, root: String)]>([:])

    /// The commit `refs/heads/main` points at, nil when there is none. Read from the ref files (loose, then
    /// `packed-refs`) when they say it plainly, so that the directory costs no process per repository; git otherwise.
    public static func mainTip(in repoPath: String) async throws -> String? {
        if let tip = mainTipFromFiles(repoPath) { return tip }
        let output = try await GitCommand.run(
            ["--git-dir", repoPath, "rev-parse", "--verify", "--quiet", "refs/heads/main^{commit}"])
        let tip = output.stdout.trimmingLines()
        return output.succeeded && !tip.isEmpty ? tip : nil
    }

    /// The first-parent root of `main`, nil when `main` does not exist.
    public static func root(ofMainIn repoPath: String) async throws -> String? {
        guard let tip = try await mainTip(in: repoPath) else { return nil }
        return try await root(of: tip, in: repoPath)
    }

    /// The first-parent root of `tip`.
    public static func root(of tip: String, in repoPath: String) async throws -> String {
        if let known = roots.withLock({ $0[repoPath] }), known.tip == tip { return known.root }
        let output = try await GitCommand.check(
            ["--git-dir", repoPath, "rev-list", "--first-parent", "--max-parents=0", tip])
        guard let root = output.split(separator: "\n").last.map(String.init), root.count == 40 else {
            throw HostError(.io, "cannot find the root commit of \(tip) in \(repoPath)")
        }
        roots.withLock { $0[repoPath] = (tip, root) }
        return root
    }

    /// `refs/heads/main` as a loose ref holding an object id, else its line in `packed-refs`; nil when neither says
    /// (a symbolic ref, a missing or odd file: git decides then).
    static func mainTipFromFiles(_ repoPath: String) -> String? {
        if let loose = try? FileIO.readText(repoPath + "/refs/heads/main") {
            let id = loose.trimmingLines()
            return isObjectID(id) ? id : nil
        }
        guard let packed = try? FileIO.readText(repoPath + "/packed-refs") else { return nil }
        for line in packed.split(separator: "\n") where line.hasSuffix(" refs/heads/main") {
            let id = String(line.prefix(40))
            return isObjectID(id) && line.count == 40 + " refs/heads/main".count ? id : nil
        }
        return nil
    }

    static func isObjectID(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
