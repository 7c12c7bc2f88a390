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
        let headers = try Headers.parse(bytes)
        let message = Array(bytes[headers.messageStart...])
        if message.contains(0) { throw GitError("has a NUL byte in its message") }
        return RawCommit(tree: headers.tree, parents: headers.parents, message: message)
    }

    /// What the headers say, and where the message starts. The same grammar for every reader, so a walk over the
    /// headers follows exactly the parents the verifier checks.
    struct Headers {
        var tree: ObjectID
        var parents: [ObjectID]
        var messageStart: Int

        static func parse(_ bytes: UnsafeRawBufferPointer) throws -> Headers {
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

            func id(after key: StaticString, in line: UnsafeRawBufferPointer.SubSequence) -> ObjectID? {
                let prefix = UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
                guard line.count == prefix.count + 40, line.starts(with: prefix) else { return nil }
                return ObjectID(hexDigits: UnsafeRawBufferPointer(rebasing: line.dropFirst(prefix.count)))
            }

            guard let first = try nextLine(), let tree = id(after: "tree ", in: first) else {
                throw GitError("does not start with a tree line")
            }
            var parents: [ObjectID] = []
            var line = try nextLine()
            while let current = line, current.starts(with: "parent ".utf8) {
                guard let parent = id(after: "parent ", in: current) else { throw GitError("has a malformed parent line") }
                parents.append(parent)
                line = try nextLine()
            }
            guard let author = line, author.starts(with: "author ".utf8) else { throw GitError("has no author line") }
            guard let committer = try nextLine(), committer.starts(with: "committer ".utf8) else {
                throw GitError("has no committer line")
            }
            // The remaining headers (encoding, gpgsig with its continuation lines, ...) are skipped line by line.
            while try nextLine() != nil {}
            return Headers(tree: tree, parents: parents, messageStart: cursor)
        }
    }

    /// The first line of the message in `bytes` from `start` (up to the first newline byte, a trailing `\r`
    /// dropped), as `CommitInfo.head` gives it.
    static func head(_ bytes: UnsafeRawBufferPointer, from start: Int) -> String {
        var end = start
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
