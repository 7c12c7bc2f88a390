import CGit2
import DehubCore

extension GitRepository {
    /// The root commit reached from `tip` by first parents (the project id of format §6.7), in constant memory and
    /// without inflating any commit larger than `maxCommitObjectBytes` (its header is read first).
    public func firstParentRoot(of tip: ObjectID) throws -> ObjectID {
        var current = tip
        while true {
            var oid = current.gitOID
            try checkCommitHeader(current)
            // The raw object, not git_commit_lookup: nothing parsed but the first parent line, nothing kept in
            // libgit2's object cache (a walk over a long history would fill it).
            var object: OpaquePointer?
            try check(git_odb_read(&object, odb, &oid), "cannot read commit \(current)")
            defer { git_odb_object_free(object) }
            guard let data = git_odb_object_data(object) else { throw GitError("cannot read commit \(current)") }
            let raw = UnsafeRawBufferPointer(start: data, count: git_odb_object_size(object))
            guard let parent = try Self.firstParent(inRawCommit: raw, of: current) else { return current }
            current = parent
        }
    }

    /// The first `parent` line of a raw commit (`tree <hex>\n` then `parent <hex>\n`...), nil when there is none.
    static func firstParent(inRawCommit raw: UnsafeRawBufferPointer, of id: ObjectID) throws -> ObjectID? {
        let tree = Array("tree ".utf8), parent = Array("parent ".utf8)
        guard raw.count >= tree.count + 41, raw.starts(with: tree), raw[tree.count + 40] == 10 else {
            throw GitError("commit \(id) does not start with its tree")
        }
        let rest = raw[(tree.count + 41)...]
        guard rest.starts(with: parent) else { return nil }
        let line = rest.dropFirst(parent.count)
        guard line.count > 40, line[line.startIndex + 40] == 10,
            let found = ObjectID(hex: String(decoding: line.prefix(40), as: UTF8.self))
        else { throw GitError("commit \(id) has a malformed parent line") }
        return found
    }
}
