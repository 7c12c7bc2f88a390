import CGit2
import DehubCore

extension GitRepository {
    /// True when the object database (quarantine included, for a hook) holds `id`.
    public func hasObject(_ id: ObjectID) throws -> Bool {
        var oid = id.gitOID
        return git_odb_exists(odb, &oid) == 1
    }

    /// `hasObject` without looking for packs that appeared since the repository was opened. A miss otherwise costs a
    /// rescan of the pack directory (and of its multi-pack index), which for a handle that is asked mostly about
    /// objects it does not have (the commits a push brings, asked of the repository as it was before the push) is
    /// most of the time spent. Use it only where a false "absent" errs on the safe side.
    public func hasObjectWithoutRefresh(_ id: ObjectID) -> Bool {
        var oid = id.gitOID
        return git_odb_exists_ext(odb, &oid, UInt32(GIT_ODB_LOOKUP_NO_REFRESH.rawValue)) == 1
    }
}
