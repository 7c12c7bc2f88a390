import DehubCore

/// The parts of a raw commit object the verifier needs, parsed strictly from its bytes:
/// `tree`, then `parent` lines, then `author` and `committer`, other headers, an empty line, the message.
struct RawCommit: Equatable {
    var tree: ObjectID
    var parents: [ObjectID]
    /// The message bytes exactly as stored (everything after the first empty line).
    var message: [UInt8]

    /// Parses `bytes`; the error says what is wrong (the caller adds which commit).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> RawCommit {
        var cursor = 0

        /// The next header line (without its newline), or nil at the empty line that ends the headers.
        func nextLine() throws -> UnsafeRawBufferPointer.SubSequence? {
            guard cursor < bytes.count else { throw GitError("has no empty line after its headers") }
            var end = cursor
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            guard end < bytes.count else { throw GitError("has no empty line after its headers") }
            let line = bytes[cursor..<end]
            cursor = end + 1
            return line.isEmpty ? nil : line
        }

        func id(after key: String, in line: UnsafeRawBufferPointer.SubSequence) -> ObjectID? {
            let prefix = Array(key.utf8) + [0x20]
            guard line.count == prefix.count + 40, line.starts(with: prefix) else { return nil }
            return ObjectID(hex: String(decoding: line.dropFirst(prefix.count), as: UTF8.self))
        }

        guard let first = try nextLine(), let tree = id(after: "tree", in: first) else {
            throw GitError("does not start with a tree line")
        }
        var parents: [ObjectID] = []
        var line = try nextLine()
        while let current = line, current.starts(with: Array("parent ".utf8)) {
            guard let parent = id(after: "parent", in: current) else { throw GitError("has a malformed parent line") }
            parents.append(parent)
            line = try nextLine()
        }
        guard let author = line, author.starts(with: Array("author ".utf8)) else { throw GitError("has no author line") }
        guard let committer = try nextLine(), committer.starts(with: Array("committer ".utf8)) else {
            throw GitError("has no committer line")
        }
        while try nextLine() != nil {}  // remaining headers (encoding, gpgsig with its continuation lines, ...)
        let message = Array(bytes[cursor...])
        if message.contains(0) { throw GitError("has a NUL byte in its message") }
        return RawCommit(tree: tree, parents: parents, message: message)
    }
}
