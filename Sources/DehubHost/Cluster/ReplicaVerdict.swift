import DehubCluster
import DehubCore
import DehubGit
import DehubVerification
import Dispatch

/// A replica's own verdict on ref moves the store holds, from the engine the hook runs (`PushVerifier`, server side)
/// in this process: the copy's refs are the state before the moves, its object database holds the new objects
/// (fetched with `fetch.fsckObjects`), its git config gives the limits (`dehub.*`, a stranger's when the role is not
/// admin or member), and the pusher's role is the one the writer's hook judged the push with. So the replica answers
/// the question the writer's hook answered, with the same rules: each ref's branch rules under the config of main
/// as it was before the moves. Fails closed: anything that cannot be read or judged is a refusal.
enum ReplicaVerdict {
    /// One push's worth of moves, judged as the hook judges a push.
    struct Step: Equatable {
        var changes: [RefChange]
        /// `DEHUB_PUSHER_ROLE` as the writer's hook saw it; empty or unknown counts as a stranger's (fail closed).
        var role: String
    }

    /// Nil when every move verifies, else the engine's reasons (one line each, joined with ` / `).
    static func judge(_ step: Step, in path: String) async -> String? {
        // Verification reads and checks signatures on all cores and blocks its thread: off the concurrency pool.
        await withCheckedContinuation { (done: CheckedContinuation<String?, Never>) in
            DispatchQueue.global().async { done.resume(returning: judgeNow(step, in: path)) }
        }
    }

    /// nil (absent) is git's zero id; nil when the text is not an object id.
    static func objectID(_ hex: String?) -> ObjectID? {
        guard let hex else { return .zero }
        return ObjectID(hex: hex)
    }

    static func judgeNow(_ step: Step, in path: String) -> String? {
        var updates: [RefUpdate] = []
        for change in step.changes {
            guard let old = objectID(change.old), let new = objectID(change.new) else {
                return "\(change.ref): the store holds an object id this node cannot read"
            }
            updates.append(RefUpdate(old: old, new: new, ref: change.ref))
        }
        guard !updates.isEmpty else { return nil }
        do {
            let repo = try GitRepository.open(path: path)
            let roles = PusherRolePolicy.from(environmentValue: step.role)
            var limits = try HookLimits.from(repo)
            if roles.isStranger { limits = limits.forStrangers }
            let verifier = PushVerifier(repo: repo, path: path, roles: roles, limits: limits, side: .server)
            let outcome = try verifier.verify(updates)
            if outcome.isAccepted { return nil }
            let lines = VerdictText.refusal(outcome).filter { !$0.isEmpty }
            return lines.isEmpty ? "the engine refused the update" : lines.joined(separator: " / ")
        } catch let error as VerificationError {
            return error.message + (error.hint.map { " (\($0))" } ?? "")
        } catch let error as GitError {
            return "the copy could not be read: \(error.message)"
        } catch {
            return "the update could not be judged: \(error)"
        }
    }
}
