import CGit2
import DehubCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Compares two trees the way `git diff-tree -r --no-renames` does, by walking both in git's tree order
/// and descending only into subtrees whose ids differ.
///
/// This replaces `git_diff_tree_to_tree`, which takes a configuration snapshot and builds a diff object per
/// call, several times slower over a long history. Being our own walk, it also fails closed on malformed
/// trees (unsorted, duplicate names, a file and a directory of one name, `/`, `.` or `..` as a name), which
/// git refuses to check out and which lookups by path could read differently from the diff.
struct TreeDiff {
    let repository: OpaquePointer
    /// Where subtrees are looked up: in a history diffed oldest first, a commit's subtrees are its child's old side.
    let trees: TreeCache
    private(set) var changes: [FileChange] = []

    init(repository: OpaquePointer, trees: TreeCache) {
        self.repository = repository
        self.trees = trees
    }

    /// Appends the differences between `old` and `new` (nil = the empty tree) under `prefix`.
    mutating func compare(_ old: OpaquePointer?, _ new: OpaquePointer?, prefix: [UInt8]) throws {
        let oldEntries = try old.map { try TreeEntries($0, path: prefix) } ?? TreeEntries()
        let newEntries = try new.map { try TreeEntries($0, path: prefix) } ?? TreeEntries()
        var i = 0
        var j = 0
        while i < oldEntries.count || j < newEntries.count {
            let order: Int32
            if i == oldEntries.count {
                order = 1
            } else if j == newEntries.count {
                order = -1
            } else {
                order = TreeEntry.compare(oldEntries[i], newEntries[j])
            }
            if order < 0 {
                try removed(oldEntries[i], prefix: prefix)
                i += 1
            } else if order > 0 {
                try added(newEntries[j], prefix: prefix)
                j += 1
            } else {
                try changed(oldEntries[i], newEntries[j], prefix: prefix)
                i += 1
                j += 1
            }
        }
    }

    private mutating func removed(_ entry: TreeEntry, prefix: [UInt8]) throws {
        if entry.isTree {
            let tree = try subtree(entry, prefix: prefix)
            defer { git_tree_free(tree) }
            try compare(tree, nil, prefix: prefix + entry.nameBytes + [0x2F])
        } else {
            changes.append(
                FileChange(
                    path: prefix + entry.nameBytes, fromMode: entry.mode, fromID: entry.id,
                    toMode: 0, toID: .zero))
        }
    }

    private mutating func added(_ entry: TreeEntry, prefix: [UInt8]) throws {
        if entry.isTree {
            let tree = try subtree(entry, prefix: prefix)
            defer { git_tree_free(tree) }
            try compare(nil, tree, prefix: prefix + entry.nameBytes + [0x2F])
        } else {
            changes.append(
                FileChange(
                    path: prefix + entry.nameBytes, fromMode: 0, fromID: .zero,
                    toMode: entry.mode, toID: entry.id))
        }
    }

    /// Same name and same kind (both trees, or both not trees).
    private mutating func changed(_ old: TreeEntry, _ new: TreeEntry, prefix: [UInt8]) throws {
        if old.mode == new.mode && git_oid_equal(old.oid, new.oid) != 0 { return }
        if old.isTree {
            let oldTree = try subtree(old, prefix: prefix)
            defer { git_tree_free(oldTree) }
            let newTree = try subtree(new, prefix: prefix)
            defer { git_tree_free(newTree) }
            try compare(oldTree, newTree, prefix: prefix + old.nameBytes + [0x2F])
        } else {
            changes.append(
                FileChange(
                    path: prefix + old.nameBytes, fromMode: old.mode, fromID: old.id,
                    toMode: new.mode, toID: new.id))
        }
    }

    /// The subtree an entry names; the caller frees it.
    private func subtree(_ entry: TreeEntry, prefix: [UInt8]) throws -> OpaquePointer {
        do {
            return try trees.tree(entry.id, in: repository)
        } catch let error as GitError {
            // The path is only spelled out for the error: building it for every subtree cost an allocation each.
            let path = String(decoding: prefix + entry.nameBytes, as: UTF8.self)
            let detail = error.message.drop { $0 != ":" }
            throw GitError("cannot read tree \(entry.id) at '\(path)'\(detail)", code: error.code)
        }
    }
}

/// One entry of a tree. Its pointers belong to the tree, which must outlive it.
struct TreeEntry {
    let name: UnsafePointer<UInt8>
    let length: Int
    let oid: UnsafePointer<git_oid>
    let mode: UInt32
    let isTree: Bool

    var nameBytes: [UInt8] { Array(UnsafeBufferPointer(start: name, count: length)) }
    var id: ObjectID { ObjectID(oid) }
    var displayName: String { String(decoding: UnsafeBufferPointer(start: name, count: length), as: UTF8.self) }

    /// git's `base_name_compare`: byte order, with a tree's name followed by `/`.
    static func compare(_ a: TreeEntry, _ b: TreeEntry) -> Int32 {
        let shared = min(a.length, b.length)
        let prefix = memcmp(a.name, b.name, shared)
        if prefix != 0 { return prefix }
        let nextA: UInt8 = a.length > shared ? a.name[shared] : (a.isTree ? 0x2F : 0)
        let nextB: UInt8 = b.length > shared ? b.name[shared] : (b.isTree ? 0x2F : 0)
        return Int32(nextA) - Int32(nextB)
    }
}

/// A tree's entries, checked to be in git's order and free of the shapes git itself refuses.
struct TreeEntries {
    private var entries: [TreeEntry] = []

    init() {}

    init(_ tree: OpaquePointer, path: [UInt8]) throws {
        let count = git_tree_entrycount(tree)
        entries.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index), let name = git_tree_entry_name(entry),
                let oid = git_tree_entry_id(entry)
            else { throw GitError("cannot read entry \(index) of tree '\(String(decoding: path, as: UTF8.self))'") }
            let mode = UInt32(git_tree_entry_filemode(entry).rawValue)
            let bytes = UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self)
            entries.append(
                TreeEntry(
                    name: bytes, length: strlen(name), oid: oid, mode: mode,
                    isTree: mode == UInt32(GIT_FILEMODE_TREE.rawValue)))
        }
        try validate(path: path)
    }

    var count: Int { entries.count }
    subscript(index: Int) -> TreeEntry { entries[index] }

    private func validate(path: [UInt8]) throws {
        func fail(_ problem: String) -> GitError {
            let directory = path.isEmpty ? "the root tree" : "tree '\(String(decoding: path.dropLast(), as: UTF8.self))'"
            return GitError("malformed git tree: \(directory) \(problem)")
        }
        for index in entries.indices {
            let entry = entries[index]
            let dots = entry.length <= 2 && (0..<entry.length).allSatisfy { entry.name[$0] == 0x2E }
            if entry.length == 0 || dots || memchr(entry.name, 0x2F, entry.length) != nil {
                throw fail("has an entry named '\(entry.displayName)'")
            }
            guard index > 0 else { continue }
            let order = TreeEntry.compare(entries[index - 1], entry)
            if order == 0 { throw fail("has two entries named '\(entry.displayName)'") }
            if order > 0 { throw fail("is not sorted (at '\(entry.displayName)')") }
        }
        // A file and a tree of one name sort apart, with only names that extend it by a byte below `/` between.
        for index in entries.indices where entries[index].isTree {
            let tree = entries[index]
            var other = index - 1
            while other >= 0 {
                let candidate = entries[other]
                guard candidate.length >= tree.length, memcmp(candidate.name, tree.name, tree.length) == 0 else { break }
                if candidate.length == tree.length { throw fail("has a file and a directory both named '\(tree.displayName)'") }
                if candidate.name[tree.length] >= 0x2F { break }
                other -= 1
            }
        }
    }
}
