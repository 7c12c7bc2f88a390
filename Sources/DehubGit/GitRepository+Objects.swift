import CGit2
import DehubCore

extension GitRepository {
    /// True when the object database (quarantine included, for a hook) holds `id`.
    public func hasObject(_ id: ObjectID) throws -> Bool {
        var oid = id.gitOID
        return git_odb_exists(odb, &oid) == 1
    }
}
