/// The pure decision behind a commit: given what the store holds for the transaction's refs and the repo's
/// checksum, either the transaction conflicts (a ref is not at the old value the hook verified), or the store
/// already holds it, or it applies with this new checksum. The store then commits it with a compare on every
/// ref and on the checksum, so nothing moved in between.
public enum RefCommitPlan: Equatable, Sendable {
    case conflict(ref: String, storeValue: String?)
    case alreadyInStore
    case apply(checksum: ReplicaChecksum)

    /// - Parameter current: the store's value of every ref of the transaction (nil: absent).
    public static func plan(_ transaction: RefTransaction, current: [String: String], checksum: ReplicaChecksum)
        -> RefCommitPlan
    {
        if transaction.changes.allSatisfy({ current[$0.ref] == $0.new }) { return .alreadyInStore }
        for change in transaction.changes where current[change.ref] != change.old {
            return .conflict(ref: change.ref, storeValue: current[change.ref])
        }
        var sum = checksum
        for change in transaction.changes { sum = sum.applying(ref: change.ref, old: change.old, new: change.new) }
        return .apply(checksum: sum)
    }
}
