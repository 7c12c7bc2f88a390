#if canImport(Glibc)
    import Glibc
#endif

/// Test-only fault injection: `DEHUB_CLUSTER_TEST_FAULT=before-commit` or `after-commit` makes the node die
/// (SIGKILL-like, no clean-up) just before or just after the store commit of a push, so tests can check what a
/// crash at that moment leaves and how the node reconciles it at its next start.
enum ClusterFault: String {
    case beforeCommit = "before-commit"
    case afterCommit = "after-commit"

    static let armed: ClusterFault? = getenv("DEHUB_CLUSTER_TEST_FAULT").flatMap { ClusterFault(rawValue: String(cString: $0)) }

    static func hit(_ point: ClusterFault) {
        if armed == point { _exit(137) }
    }
}
