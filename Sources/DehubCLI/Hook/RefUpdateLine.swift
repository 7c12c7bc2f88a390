import DehubCore

/// Parses hook stdin strictly: a malformed line rejects the whole push (never "log and continue").
enum RefUpdateParser {
    struct Malformed: Error, CustomStringConvertible {
        var line: Int
        var problem: String
        var description: String { "hook input line \(line): \(problem)" }
    }

    /// pre-receive / post-receive: `<old> <new> <ref>`.
    static func preReceive(_ text: String, maxLines: Int) throws -> [RefUpdate] {
        try lines(text, maxLines: maxLines).enumerated().map { i, line in
            let f = line.split(separator: " ", omittingEmptySubsequences: false)
            guard f.count == 3 else {
                throw Malformed(line: i + 1, problem: "expected '<old> <new> <ref>', got \(f.count) field(s)")
            }
            return RefUpdate(old: try id(f[0], i), new: try id(f[1], i), ref: try ref(f[2], i))
        }
    }

    /// pre-push: `<local ref> <local sha> <remote ref> <remote sha>`; the update is of the remote ref.
    static func prePush(_ text: String, maxLines: Int) throws -> [RefUpdate] {
        try lines(text, maxLines: maxLines).enumerated().map { i, line in
            let f = line.split(separator: " ", omittingEmptySubsequences: false)
            guard f.count == 4 else {
                throw Malformed(
                    line: i + 1, problem: "expected '<local ref> <local sha> <remote ref> <remote sha>', got \(f.count) field(s)")
            }
            return RefUpdate(old: try id(f[3], i), new: try id(f[1], i), ref: try ref(f[2], i))
        }
    }

    private static func lines(_ text: String, maxLines: Int) throws -> [Substring] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard lines.count <= maxLines else {
            throw Malformed(
                line: maxLines + 1, problem: "more than \(maxLines) ref updates in one push (git config dehub.maxRefUpdates)")
        }
        return lines
    }

    private static func id(_ field: Substring, _ i: Int) throws -> ObjectID {
        guard let id = ObjectID(hex: field) else {
            throw Malformed(line: i + 1, problem: "'\(field.prefix(64))' is not a 40-digit object id")
        }
        return id
    }

    private static func ref(_ field: Substring, _ i: Int) throws -> String {
        let name = String(field)
        guard name.hasPrefix("refs/"), name.utf8.count <= 1024,
            !name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f || $0 == UInt8(ascii: " ") })
        else {
            throw Malformed(line: i + 1, problem: "'\(name.prefix(64))' is not a ref name")
        }
        return name
    }
}
