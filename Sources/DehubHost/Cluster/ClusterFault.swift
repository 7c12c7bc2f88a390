#if canImport(Glibc)
    import Glibc
#endif

/// Test-only fault injection (`serve --cluster-test-fault before-commit|after-commit`, hidden): the node dies at
/// once, with no clean-up, just before or just after the store commit of a push, so tests can check what a crash at
/// that moment leaves and how the node reconciles it at its next start.
public enum ClusterFault: String, Sendable {
    case beforeCommit = "before-commit"
    case afterCommit = "after-commit"

    static func hit(_ point: ClusterFault, armed: ClusterFault?) {
        if armed == point { _exit(137) }
    }
}
