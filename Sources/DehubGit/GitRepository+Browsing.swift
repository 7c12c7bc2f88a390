import CGit2
import DehubCore

/// Who made a commit and when, as git records it (`author` and `committer` lines).
public struct GitPerson: Equatable, Sendable {
    public var name: String
    public var email: String
    /// Seconds since 1970 (UTC).
    public var seconds: Int64
    /// The recorded time zone, in minutes east of UTC.
    public var offsetMinutes: Int

    public init(name: String, email: String, seconds: Int64, offsetMinutes: Int) {
        self.name = name
        self.email = email
        self.seconds = seconds
        self.offsetMinutes = offsetMinutes
    }
}

/// One entry of a tree, for a listing.
public struct TreeListingEntry: Equatable, Sendable {
    public enum Kind: String, Sendable { case blob, tree, submodule, symlink }
    public var name: String
    public var id: ObjectID
    public var kind: Kind
    public var mode: UInt32
}

/// A diff between two trees as text, cut short past a size limit (the web view's commit page).
public struct PatchText: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        /// `+`, `-`, ` ` (context), `@` (hunk header), `\` (no newline at end of file).
        public var origin: Character
        public var text: String
    }
    public struct File: Equatable, Sendable {
        public var path: String
        /// `added`, `deleted`, `modified`, `type changed`.
        public var status: String
        public var isBinary: Bool
        /// Set instead of lines when a side is larger than the per-file limit.
        public var tooLarge: Bool
        public var lines: [Line]
    }
    public var files: [File]
    /// True when files or lines were left out to stay under the limits.
    public var truncated: Bool
}

extension GitRepository {
    /// The author and committer of a commit (refused like `commit(_:)` when the object is too large).
    public func people(ofCommit id: ObjectID) throws -> (author: GitPerson, committer: GitPerson) {
        try checkCommitHeader(id)
        var oid = id.gitOID
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, handle, &oid), "cannot read commit \(id)")
        defer { git_commit_free(commit) }
        func person(_ signature: UnsafePointer<git_signature>?) -> GitPerson {
            guard let s = signature?.pointee else { return GitPerson(name: "", email: "", seconds: 0, offsetMinutes: 0) }
            return GitPerson(
                name: s.name.map { String(cString: $0) } ?? "", email: s.email.map { String(cString: $0) } ?? "",
                seconds: s.when.time, offsetMinutes: Int(s.when.offset))
        }
        return (person(git_commit_author(commit)), person(git_commit_committer(commit)))
    }

    /// The best common ancestor of two commits, or nil when they share none.
    public func mergeBase(_ one: ObjectID, _ two: ObjectID) throws -> ObjectID? {
        var out = git_oid()
        var a = one.gitOID
        var b = two.gitOID
        let code = git_merge_base(&out, handle, &a, &b)
        if code == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try check(code, "cannot find a common ancestor of \(one.short) and \(two.short)")
        return ObjectID(out)
    }

    /// What is at `path` in `tree` (the tree itself for an empty path): its id and kind; nil when nothing is there.
    public func entry(at path: String, inTree tree: ObjectID) throws -> (id: ObjectID, kind: TreeListingEntry.Kind)? {
        if path.isEmpty { return (tree, .tree) }
        return try withEntry(at: path, inTree: tree) { entry in
            (ObjectID(git_tree_entry_id(entry)), Self.kind(git_tree_entry_filemode(entry)))
        }
    }

    /// The entries of a tree in git's order, at most `limit` of them (`truncated` says whether there were more).
    public func treeEntries(_ tree: ObjectID, limit: Int) throws -> (entries: [TreeListingEntry], truncated: Bool) {
        let handleTree = try trees.tree(tree, in: handle)
        defer { git_tree_free(handleTree) }
        let count = git_tree_entrycount(handleTree)
        var entries: [TreeListingEntry] = []
        for index in 0..<min(count, limit) {
            guard let entry = git_tree_entry_byindex(handleTree, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            let mode = git_tree_entry_filemode(entry)
            entries.append(
                TreeListingEntry(name: name, id: ObjectID(git_tree_entry_id(entry)), kind: Self.kind(mode), mode: mode.rawValue))
        }
        return (entries, count > limit)
    }

    /// The size of an object, read from its header only.
    public func objectSize(_ id: ObjectID) throws -> Int {
        var oid = id.gitOID
        var size = 0
        var type = GIT_OBJECT_INVALID
        try check(git_odb_read_header(&size, &type, odb, &oid), "cannot read object \(id)")
        return size
    }

    /// A blob's bytes; throws (before inflating it) when it is larger than `limit`.
    public func blob(_ id: ObjectID, limit: Int) throws -> [UInt8] {
        try blobContent(id, path: id.short, limit: limit)
    }

    /// The diff from `oldTree` (nil: the empty tree) to `newTree` as text: at most `maxFiles` files and `maxBytes`
    /// bytes of lines in all; a file with a side larger than `maxFileBytes` is listed without its lines.
    public func patch(from oldTree: ObjectID?, to newTree: ObjectID, maxFiles: Int, maxBytes: Int, maxFileBytes: Int) throws
        -> PatchText
    {
        let new = try trees.tree(newTree, in: handle)
        defer { git_tree_free(new) }
        var old: OpaquePointer?
        if let oldTree { old = try trees.tree(oldTree, in: handle) }
        defer { if let old { git_tree_free(old) } }
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "cannot prepare a diff")
        var diff: OpaquePointer?
        try check(git_diff_tree_to_tree(&diff, handle, old, new, &options), "cannot diff \(newTree.short)")
        defer { git_diff_free(diff) }

        var result = PatchText(files: [], truncated: false)
        var budget = maxBytes
        let deltas = git_diff_num_deltas(diff)
        for index in 0..<deltas {
            guard result.files.count < maxFiles, budget > 0 else {
                result.truncated = true
                break
            }
            guard let delta = git_diff_get_delta(diff, index)?.pointee else { continue }
            let path = String(cString: (delta.new_file.path ?? delta.old_file.path)!)
            var file = PatchText.File(
                path: path, status: Self.status(delta.status), isBinary: false, tooLarge: false, lines: [])
            let sizes = try [delta.old_file, delta.new_file].map { side -> Int in
                let id = ObjectID(side.id)
                return id.isZero || Self.kind(git_filemode_t(UInt32(side.mode))) != .blob ? 0 : try objectSize(id)
            }
            if sizes.contains(where: { $0 > maxFileBytes }) {
                file.tooLarge = true
                result.files.append(file)
                continue
            }
            var patch: OpaquePointer?
            try check(git_patch_from_diff(&patch, diff, index), "cannot diff '\(path)'")
            defer { git_patch_free(patch) }
            if let loaded = git_patch_get_delta(patch)?.pointee, loaded.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0 {
                file.isBinary = true
                result.files.append(file)
                continue
            }
            hunks: for hunk in 0..<git_patch_num_hunks(patch) {
                var header: UnsafePointer<git_diff_hunk>?
                var lineCount = 0
                try check(git_patch_get_hunk(&header, &lineCount, patch, hunk), "cannot diff '\(path)'")
                if let header {
                    let text = withUnsafeBytes(of: header.pointee.header) { raw in
                        String(decoding: raw.prefix(Int(header.pointee.header_len)), as: UTF8.self)
                    }
                    file.lines.append(.init(origin: "@", text: Self.trimNewline(text)))
                }
                for lineIndex in 0..<lineCount {
                    var line: UnsafePointer<git_diff_line>?
                    try check(git_patch_get_line_in_hunk(&line, patch, hunk, lineIndex), "cannot diff '\(path)'")
                    guard let line = line?.pointee, let content = line.content else { continue }
                    let bytes = UnsafeRawBufferPointer(start: content, count: line.content_len)
                    budget -= bytes.count
                    if budget < 0 {
                        result.truncated = true
                        break hunks
                    }
                    let origin: Character
                    switch UInt8(bitPattern: line.origin) {
                    case UInt8(ascii: "+"): origin = "+"
                    case UInt8(ascii: "-"): origin = "-"
                    case UInt8(ascii: " "): origin = " "
                    default: origin = "\\"
                    }
                    file.lines.append(.init(origin: origin, text: Self.trimNewline(String(decoding: bytes, as: UTF8.self))))
                }
            }
            result.files.append(file)
        }
        return result
    }

    static func kind(_ mode: git_filemode_t) -> TreeListingEntry.Kind {
        switch mode {
        case GIT_FILEMODE_TREE: .tree
        case GIT_FILEMODE_COMMIT: .submodule
        case GIT_FILEMODE_LINK: .symlink
        default: .blob
        }
    }

    static func status(_ status: git_delta_t) -> String {
        switch status {
        case GIT_DELTA_ADDED: "added"
        case GIT_DELTA_DELETED: "deleted"
        case GIT_DELTA_TYPECHANGE: "type changed"
        default: "modified"
        }
    }

    static func trimNewline(_ text: String) -> String {
        text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
