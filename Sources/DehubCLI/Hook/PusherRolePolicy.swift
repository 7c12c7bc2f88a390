/// What the pusher may do beyond the format's rules, when a host that knows who pushes (dehub-host) says so in
/// `DEHUB_PUSHER_ROLE` (`admin`, `member`: an account with an SSH key in the config on main, or `other`). A plain
/// git server sets nothing, and the format's rules alone apply (`.anyone`). Behind a host:
/// - only admins and members delete a branch, or move one other than main backwards or sideways (a rewind wipes
///   a thread as surely as a deletion does);
/// - only admins create main (its root commit is the project's root of trust);
/// - strangers get the lower limits of `HookLimits.forStrangers`.
/// An unknown or empty role counts as a stranger's (fail closed).
enum PusherRolePolicy: Equatable {
    case anyone
    case behindHost(role: String)

    static let environmentVariable = "DEHUB_PUSHER_ROLE"

    static func from(pusherRole: String?) -> PusherRolePolicy {
        guard let pusherRole else { return .anyone }
        return .behindHost(role: pusherRole)
    }

    /// True behind a host that does not say the pusher is an admin or a member.
    var isStranger: Bool {
        guard case .behindHost(let role) = self else { return false }
        return role != "admin" && role != "member"
    }

    /// Nil when `branch` may be deleted, else why not.
    func refusal(deleting branch: String, ref: String) -> PushVerifier.Refusal? {
        guard isStranger else { return nil }
        return PushVerifier.Refusal(
            ref: ref,
            reason: "deleting '\(branch)' is refused: on this host only admins and the repository's members may delete branches",
            hint: Self.askAMember + " to delete it")
    }

    /// Nil when `branch` (not main) may be moved other than forward, else why not.
    func refusal(rewinding branch: String, ref: String) -> PushVerifier.Refusal? {
        guard isStranger else { return nil }
        return PushVerifier.Refusal(
            ref: ref,
            reason: "moving '\(branch)' other than forward is refused: on this host only admins and the repository's members may rewind or replace a branch",
            hint: "push your work to a new branch, or " + Self.askAMember + " to move it")
    }

    /// Nil when main may be created, else why not.
    func refusalCreatingMain(ref: String) -> PushVerifier.Refusal? {
        guard case .behindHost(let role) = self, role != "admin" else { return nil }
        return PushVerifier.Refusal(
            ref: ref,
            reason: "creating main is refused: on this host only an admin may create main (its root commit is the project's root of trust)",
            hint: "ask an admin of the host to push the first main")
    }

    private static let askAMember = "ask a member (an account with an SSH key in .dehub/config.yml on main) or an admin"
}
