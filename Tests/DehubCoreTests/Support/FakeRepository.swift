import DehubCore

/// An in-memory repository for engine tests: commits and trees held in dictionaries, object ids handed out by
/// content (equal contents, equal ids, as in git), so that the engine's config cache behaves as with a real
/// repository. Directories have ids too (`entryID(at: ".dehub")`), derived from everything below them.
final class FakeRepository: RepositoryReading {
    struct Entry: Hashable {
        var mode: UInt32
        var bytes: [UInt8]
    }

    typealias Tree = [String: Entry]

    private(set) var commits: [ObjectID: CommitInfo] = [:]
    private var trees: [ObjectID: Tree] = [:]
    private var interned: [String: ObjectID] = [:]
    private var counter: UInt32 = 0
    /// When set, every read throws this.
    var failure: (any Error)?
    /// Objects (commits, trees) that reads do not find, as if they were missing from the object database.
    var missing: Set<ObjectID> = []
    /// Refs by full name, for the push rules (`FakeRepository+Push.swift`).
    var refs: [String: ObjectID] = [:]
    /// Annotated tag objects by id (`FakeRepository+Push.swift`).
    var tags: [ObjectID: TagObject] = [:]

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: building

    func intern(_ key: String) -> ObjectID {
        if let id = interned[key] { return id }
        counter += 1
        var bytes = [UInt8](repeating: 0xA0, count: 16)
        bytes += [UInt8(counter >> 24 & 0xff), UInt8(counter >> 16 & 0xff), UInt8(counter >> 8 & 0xff), UInt8(counter & 0xff)]
        let id = ObjectID(bytes: bytes)!
        interned[key] = id
        return id
    }

    func blobID(_ entry: Entry) -> ObjectID { intern("blob \(entry.mode) \(entry.bytes)") }

    func addTree(_ tree: Tree) -> ObjectID {
        let key = "tree " + tree.keys.sorted().map { "\($0)=\(blobID(tree[$0]!))" }.joined(separator: ";")
        let id = intern(key)
        trees[id] = tree
        return id
    }

    static func tree(_ files: [String: String], mode: UInt32 = 0o100644) -> Tree {
        files.mapValues { Entry(mode: mode, bytes: Array($0.utf8)) }
    }

    @discardableResult
    func addCommit(parents: [ObjectID], tree: Tree, message: String) -> ObjectID {
        let treeID = addTree(tree)
        let id = intern("commit \(parents) \(treeID) \(message) \(commits.count)")
        commits[id] = CommitInfo(id: id, parents: parents, tree: treeID, message: message)
        return id
    }

    func treeContents(of commit: ObjectID) -> Tree { trees[commits[commit]!.tree]! }

    /// The diff of two trees as the port promises it: one entry per path, zero id and mode 0 on a missing side.
    func diff(from old: Tree, to new: Tree) -> [FileChange] {
        Set(old.keys).union(new.keys).sorted().compactMap { path in
            let a = old[path], b = new[path]
            guard a != b else { return nil }
            return FileChange(
                path: path, fromMode: a?.mode ?? 0, fromID: a.map(blobID) ?? .zero,
                toMode: b?.mode ?? 0, toID: b.map(blobID) ?? .zero)
        }
    }

    // MARK: RepositoryReading

    func commit(_ id: ObjectID) throws -> CommitInfo {
        if let failure { throw failure }
        guard !missing.contains(id), let c = commits[id] else { throw ReadError(description: "no commit \(id)") }
        return c
    }

    func changedFiles(of commit: CommitInfo) throws -> [FileChange] {
        if let failure { throw failure }
        let old = try commit.parents.first.map { try self.tree(of: try self.commit($0).tree) } ?? [:]
        return diff(from: old, to: try tree(of: commit.tree))
    }

    func entryID(at path: String, inTree tree: ObjectID) throws -> ObjectID? {
        if let failure { throw failure }
        let t = try self.tree(of: tree)
        if let entry = t[path] { return blobID(entry) }
        let below = t.filter { $0.key.hasPrefix(path + "/") }
        guard !below.isEmpty else { return nil }
        return intern("dir " + below.keys.sorted().map { "\($0)=\(blobID(below[$0]!))" }.joined(separator: ";"))
    }

    func blob(at path: String, inTree tree: ObjectID, limit: Int) throws -> [UInt8]? {
        if let failure { throw failure }
        guard let entry = try self.tree(of: tree)[path] else { return nil }
        guard entry.bytes.count <= limit else { throw ReadError(description: "blob \(path) is larger than \(limit) bytes") }
        return entry.bytes
    }

    func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        var stack = [descendant]
        var seen = Set<ObjectID>()
        while let id = stack.popLast() {
            if id == ancestor { return true }
            guard seen.insert(id).inserted else { continue }
            stack += try commit(id).parents
        }
        return false
    }

    func hasObject(_ id: ObjectID) throws -> Bool {
        if let failure { throw failure }
        return !missing.contains(id) && (commits[id] != nil || trees[id] != nil || tags[id] != nil)
    }

    func tree(of id: ObjectID) throws -> Tree {
        guard !missing.contains(id), let t = trees[id] else { throw ReadError(description: "no tree \(id)") }
        return t
    }
}
