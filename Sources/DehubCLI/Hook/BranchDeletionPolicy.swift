/// Who may delete a branch other than main (main is never deleted). The format lets any pusher delete a
/// thread branch, since a git server knows nothing of who pushes; a host that does know (dehub-host) tells the
/// hook the pusher's role in `DEHUB_PUSHER_ROLE`, and then only its admins and the repository's members
/// (accounts with an SSH key in the config on main) may delete branches. An unknown or empty role counts as
/// neither (fail closed).
enum BranchDeletionPolicy: Equatable {
    case anyone
    case adminsAndMembers(pusherRole: String)

    static let environmentVariable = "DEHUB_PUSHER_ROLE"

    static func from(pusherRole: String?) -> BranchDeletionPolicy {
        guard let pusherRole else { return .anyone }
        return .adminsAndMembers(pusherRole: pusherRole)
    }

    /// Nil when `branch` may be deleted, else why not.
    func refusal(deleting branch: String, ref: String) -> PushVerifier.Refusal? {
        guard case .adminsAndMembers(let role) = self, role != "admin", role != "member" else { return nil }
        return PushVerifier.Refusal(
            ref: ref,
            reason: "deleting '\(branch)' is refused: on this host only admins and the repository's members may delete branches",
            hint: "ask a member (an account with an SSH key in .dehub/config.yml on main) or an admin to delete it")
    }
}
