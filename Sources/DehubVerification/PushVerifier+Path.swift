import DehubCore
import DehubGit

extension PushVerifier {
    /// A verifier over the repository at `path`, of which `repo` is an open handle: `repo` and every worker's handle
    /// refuse commit objects larger than `limits` allow (`HookLimits.maxCommitObjectBytes`).
    public init(
        repo: GitRepository, path: String, roles: PusherRolePolicy = .anyone, limits: HookLimits, side: Side
    ) {
        let maxObject = limits.maxCommitObjectBytes
        repo.maxCommitObjectBytes = maxObject
        self.init(
            repo: repo,
            open: {
                let handle = try GitRepository.open(path: path)
                handle.maxCommitObjectBytes = maxObject
                return handle
            }, roles: roles, limits: limits, side: side)
    }
}
