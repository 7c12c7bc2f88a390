import DehubCore
import Foundation

/// A mirror engine that verifies with the dehub hook itself: the upstream is fetched into the side cache (with
/// `fetch.fsckObjects`), then each branch that moved is pushed from the cache into the served repository, whose
/// `pre-receive` is the dehub hook, one ref at a time with an old-value lease. The hook judges it exactly as it
/// judges any push (every push rule of format §10, from the served `main`, which grew from the root of trust), and
/// a refused push leaves nothing: its objects stay in git's quarantine. Before the hook, `main` is checked here for
/// what no push may do to a mirror: grow from another root than the mirror's, or move other than forward.
///
/// It pushes as an admin (`DEHUB_PUSHER_ROLE=admin`): a mirror's first sync creates `main`, and a branch the
/// upstream deleted or rewound is followed; the hook still refuses to delete or rewind `main`.
public struct HookGatedMirrorEngine: MirrorEngine {
    /// Branches one sync considers; more are refused with a message (a hostile upstream cannot make a sync push
    /// without end).
    public static let maxBranches = 1000
    static let fetchedPrefix = "refs/mirror/heads/"

    public init() {}

    public func sync(_ run: MirrorRun) async -> MirrorRunReport {
        do {
            try await prepareCache(run.cachePath)
        } catch {
            return MirrorRunReport(unreachable: "cannot prepare the mirror's cache: \(error)")
        }
        let fetch: MirrorGit.Output
        do {
            fetch = try await MirrorGit.run([
                "--git-dir", run.cachePath, "-c", "fetch.fsckObjects=true", "-c", "transfer.fsckObjects=true",
                "fetch", "--quiet", "--prune", "--no-tags", "--no-write-fetch-head", "--", run.upstream,
                "+refs/heads/*:\(Self.fetchedPrefix)*",
            ])
        } catch {
            return MirrorRunReport(unreachable: "\(error)")
        }
        guard fetch.succeeded else {
            return MirrorRunReport(unreachable: Self.gitMessage(fetch.stderr, fallback: "git fetch failed"))
        }
        do {
            return try await advance(run)
        } catch {
            return MirrorRunReport(unreachable: "\(error)")
        }
    }

    private func prepareCache(_ path: String) async throws {
        guard !FileIO.exists(path + "/HEAD") else { return }
        try FileIO.makeDirectory((path as NSString).deletingLastPathComponent)
        try await GitCommand.check(["init", "--quiet", "--bare", "--template=", path])
    }

    private func advance(_ run: MirrorRun) async throws -> MirrorRunReport {
        let upstream = try await Self.refs(in: run.cachePath, prefix: Self.fetchedPrefix)
        let served = try await Self.refs(in: run.servedPath, prefix: "refs/heads/")
        var report = MirrorRunReport()
        guard let upstreamMain = upstream["main"] else {
            report.refs["refs/heads/main"] = .refused(
                upstreamTip: nil, message: "the upstream has no main branch; the mirror keeps what it verified")
            return report
        }
        let root = try await ProjectIdentity.root(of: upstreamMain, in: run.cachePath)
        report.root = root
        let mainOutcome = try await advanceMain(run, upstream: upstreamMain, served: served["main"], root: root)
        report.refs["refs/heads/main"] = mainOutcome
        guard case .verified = mainOutcome else { return report }
        let others = upstream.keys.filter { $0 != "main" }.sorted()
        for (index, branch) in others.enumerated() {
            let ref = "refs/heads/" + branch
            guard index < Self.maxBranches else {
                report.refs[ref] = .refused(
                    upstreamTip: upstream[branch],
                    message: "the upstream has more than \(Self.maxBranches) branches; the rest are not mirrored")
                continue
            }
            report.refs[ref] = try await push(run, branch: branch, tip: upstream[branch]!, old: served[branch], force: true)
        }
        for (branch, old) in served where branch != "main" && upstream[branch] == nil {
            let ref = "refs/heads/" + branch
            let result = try await MirrorGit.run(
                [
                    "--git-dir", run.servedPath, "push", "--porcelain", "--force-with-lease=\(ref):\(old)", run.servedPath,
                    ":" + ref,
                ],
                environment: Self.pusherEnvironment)
            report.refs[ref] =
                result.succeeded
                ? .deleted
                : .refused(upstreamTip: nil, message: Self.hookMessage(result.stderr, fallback: "cannot delete \(ref)"))
        }
        return report
    }

    private func advanceMain(_ run: MirrorRun, upstream: String, served: String?, root: String) async throws
        -> MirrorRunReport.Outcome
    {
        if upstream == served { return .verified(tip: upstream, commits: 0) }
        if let pinned = run.root, pinned != root {
            return .refused(
                upstreamTip: upstream,
                message:
                    "the upstream's main grows from root \(root), not from this mirror's root of trust \(pinned): another project, or the upstream's history was replaced; the mirror keeps what it verified"
            )
        }
        if let served {
            let ancestor = try await MirrorGit.run(["--git-dir", run.cachePath, "merge-base", "--is-ancestor", served, upstream])
            guard ancestor.succeeded else {
                return .refused(
                    upstreamTip: upstream,
                    message:
                        "the upstream moved main from the verified \(served) to \(upstream), which does not descend from it (a rewind or a replaced history); a mirror never moves main other than forward"
                )
            }
        }
        return try await push(run, branch: "main", tip: upstream, old: served, force: false)
    }

    /// One ref pushed from the cache into the served repository through its hook.
    private func push(_ run: MirrorRun, branch: String, tip: String, old: String?, force: Bool) async throws
        -> MirrorRunReport.Outcome
    {
        if tip == old { return .verified(tip: tip, commits: 0) }
        let ref = "refs/heads/" + branch
        let count = try await MirrorGit.run(
            ["--git-dir", run.cachePath, "rev-list", "--count", tip] + (old.map { ["^" + $0] } ?? []))
        let result = try await MirrorGit.run(
            [
                "--git-dir", run.cachePath, "push", "--porcelain", "--force-with-lease=\(ref):\(old ?? "")", run.servedPath,
                (force ? "+" : "") + tip + ":" + ref,
            ],
            environment: Self.pusherEnvironment)
        guard result.succeeded else {
            return .refused(
                upstreamTip: tip, message: Self.hookMessage(result.stderr, fallback: "the push into the mirror failed"))
        }
        return .verified(tip: tip, commits: Int(count.stdout.trimmingLines()) ?? 0)
    }

    static let pusherEnvironment = [PusherRole.environmentVariable: PusherRole.admin.rawValue]

    /// `name → tip` of the refs under `prefix`.
    static func refs(in repoPath: String, prefix: String) async throws -> [String: String] {
        let output = try await MirrorGit.check(
            ["--git-dir", repoPath, "for-each-ref", "--format=%(objectname) %(refname)", prefix])
        var refs: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[1].hasPrefix(prefix) else { continue }
            refs[String(parts[1].dropFirst(prefix.count))] = String(parts[0])
        }
        return refs
    }

    /// The hook's own lines (git prints them as `remote: ...`), bounded.
    static func hookMessage(_ stderr: String, fallback: String) -> String {
        let lines = stderr.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("remote: ") else { return nil }
            let text = line.dropFirst("remote: ".count).trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }
        return bounded(lines.isEmpty ? gitMessage(stderr, fallback: fallback) : lines.joined(separator: "\n"))
    }

    static func gitMessage(_ stderr: String, fallback: String) -> String {
        let text = stderr.trimmingLines()
        return bounded(text.isEmpty ? fallback : text)
    }

    static func bounded(_ text: String) -> String { text.count > 4000 ? String(text.prefix(4000)) + " ..." : text }
}
