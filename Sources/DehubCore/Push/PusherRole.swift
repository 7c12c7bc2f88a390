/// Who pushes, as a host that knows (dehub-host) tells the hook in the environment of `pre-receive`. The contract
/// between the two: the variable's name and its three values. A plain git server sets nothing.
public enum PusherRole: String, Sendable, CaseIterable {
    /// An admin of the host.
    case admin
    /// An account with an SSH key in `.dehub/config.yml` on main.
    case member
    /// Anyone else, anonymous included.
    case other

    public static let environmentVariable = "DEHUB_PUSHER_ROLE"
}

/// What the pusher may do beyond the format's rules (format §10 rule 2). A plain git server says nothing of the
/// pusher, and the format's rules alone apply (`.anyone`). Behind a host:
/// - only admins and members delete a branch, or move one other than main backwards or sideways (a rewind wipes
///   a thread as surely as a deletion does);
/// - only admins create main (its root commit is the project's root of trust);
/// - strangers get the hook's lower limits.
/// An unknown or empty value counts as a stranger's (fail closed).
public enum PusherRolePolicy: Equatable, Sendable {
    case anyone
    /// `role` is nil when the host sent a value that is not a `PusherRole` (empty included).
    case behindHost(role: PusherRole?)

    /// The policy for the value of `PusherRole.environmentVariable` (nil: the variable is not set).
    public static func from(environmentValue: String?) -> PusherRolePolicy {
        guard let environmentValue else { return .anyone }
        return .behindHost(role: PusherRole(rawValue: environmentValue))
    }

    /// True behind a host that does not say the pusher is an admin or a member.
    public var isStranger: Bool {
        guard case .behindHost(let role) = self else { return false }
        return role != .admin && role != .member
    }

    /// Nil when `branch` may be deleted, else why not.
    public func refusal(deleting branch: String, ref: String) -> PushRefusal? {
        guard isStranger else { return nil }
        return PushRefusal(
            ref: ref,
            reason: "deleting '\(branch)' is refused: on this host only admins and the repository's members may delete branches",
            hint: Self.askAMember + " to delete it")
    }

    /// Nil when `branch` (not main) may be moved other than forward, else why not.
    public func refusal(rewinding branch: String, ref: String) -> PushRefusal? {
        guard isStranger else { return nil }
        return PushRefusal(
            ref: ref,
            reason:
                "moving '\(branch)' other than forward is refused: on this host only admins and the repository's members may rewind or replace a branch",
            hint: "push your work to a new branch, or " + Self.askAMember + " to move it")
    }

    /// Nil when main may be created, else why not.
    public func refusalCreatingMain(ref: String) -> PushRefusal? {
        guard case .behindHost(let role) = self, role != .admin else { return nil }
        return PushRefusal(
            ref: ref,
            reason:
                "creating main is refused: on this host only an admin may create main (its root commit is the project's root of trust)",
            hint: "ask an admin of the host to push the first main")
    }

    private static let askAMember = "ask a member (an account with an SSH key in .dehub/config.yml on main) or an admin"
}
