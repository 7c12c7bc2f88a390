import CGit2
import DehubCore

extension GitRepository: TagReading {
    /// The annotated tag object `id`, parsed strictly from the raw object; nil when `id` is another kind of object.
    /// Its size and type are read from the object's header first: a tag larger than `limit` is refused unread. A
    /// message with a NUL byte is refused (git's tools would show it truncated).
    public func annotatedTag(_ id: ObjectID, limit: Int) throws -> TagObject? {
        var oid = id.gitOID
        var size = 0
        var type = GIT_OBJECT_INVALID
        try check(git_odb_read_header(&size, &type, odb, &oid), "cannot read object \(id)")
        guard type == GIT_OBJECT_TAG else { return nil }
        guard size <= limit else { throw TagTooLarge(tag: id, size: size, limit: limit) }
        var object: OpaquePointer?
        try check(git_odb_read(&object, odb, &oid), "cannot read tag \(id)")
        defer { git_odb_object_free(object) }
        guard let data = git_odb_object_data(object) else { throw GitError("cannot read tag \(id)") }
        let raw = try RawTag.parse(Array(UnsafeRawBufferPointer(start: data, count: git_odb_object_size(object))), id: id)
        let valid = String(validating: raw.message, as: UTF8.self)
        var tag = TagObject(
            id: id, name: raw.name, target: raw.target, targetIsCommit: raw.targetType == "commit",
            message: valid ?? String(decoding: raw.message, as: UTF8.self))
        tag.messageIsValidUTF8 = valid != nil
        return tag
    }

    /// Writes an annotated tag object named `name` (the short name) of the commit `target`; no reference moves.
    /// The tagger comes from GIT_COMMITTER_* (NAME, EMAIL, DATE) when set, else from `user.name` / `user.email`.
    /// The message is stored exactly as given.
    public func createTagObject(name: String, target: ObjectID, message: String) throws -> ObjectID {
        try createTagObject(name: name, target: target, message: message, environment: ProcessEnvironment.current())
    }

    /// `createTagObject` with an explicit environment instead of the process's.
    public func createTagObject(name: String, target: ObjectID, message: String, environment: [String: String]) throws -> ObjectID
    {
        let name = try cSafe(name, "the tag name")
        let message = try cSafe(message, "the tag message")
        let lookup: (String) -> String? = { [self] in configValue($0) }
        let tagger = try signature(CommitIdentity.resolve(.committer, environment: environment, config: lookup))
        defer { git_signature_free(tagger) }
        var targetOID = target.gitOID
        var object: OpaquePointer?
        try check(git_object_lookup(&object, handle, &targetOID, GIT_OBJECT_COMMIT), "cannot read commit \(target)")
        defer { git_object_free(object) }
        var oid = git_oid()
        try check(git_tag_annotation_create(&oid, handle, name, object, tagger, message), "cannot create tag object '\(name)'")
        return ObjectID(oid)
    }
}

/// A tag object's fields, parsed strictly: `object`, `type` and `tag` headers first, in that order, then any other
/// headers (the tagger), a blank line and the message.
struct RawTag {
    var target: ObjectID
    var targetType: String
    var name: String
    var message: [UInt8]

    static func parse(_ bytes: [UInt8], id: ObjectID) throws -> RawTag {
        let bad = { (why: String) in GitError("tag object \(id) is malformed: \(why)") }
        var fields: [String] = []
        var index = 0
        while true {
            guard let end = bytes[index...].firstIndex(of: 0x0A) else { throw bad("its headers do not end") }
            if end == index { index = end + 1; break }
            fields.append(String(decoding: bytes[index..<end], as: UTF8.self))
            index = end + 1
        }
        guard fields.count >= 3, fields[0].hasPrefix("object "), fields[1].hasPrefix("type "), fields[2].hasPrefix("tag ") else {
            throw bad("it does not start with object, type and tag headers")
        }
        guard let target = ObjectID(hex: fields[0].dropFirst("object ".count)) else {
            throw bad("its object header is not an object id")
        }
        let message = Array(bytes[index...])
        guard !message.contains(0) else { throw bad("its message contains a NUL byte") }
        return RawTag(
            target: target, targetType: String(fields[1].dropFirst("type ".count)),
            name: String(fields[2].dropFirst("tag ".count)),
            message: message)
    }
}

/// A tag object larger than the reader's limit, found from its header without reading the object.
public struct TagTooLarge: Error, Equatable, Sendable, CustomStringConvertible {
    public var tag: ObjectID
    public var size: Int
    public var limit: Int

    public var description: String {
        "tag object \(tag.short) is \(size) bytes, more than the limit of \(limit) bytes for a tag object; it was not read"
    }
}
