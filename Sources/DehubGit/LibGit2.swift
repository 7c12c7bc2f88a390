import CGit2
import CGit2Options
import DehubCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// libgit2 is initialised exactly once per process, lazily and thread-safely (Swift globals are
/// initialised with `swift_once`). It is never shut down: the process owns it until exit.
private let libgit2Runtime: Int32 = {
    let result = git_libgit2_init()
    if result >= 0 { _ = dehub_git2_disable_strict_hash_verification() }
    return result
}()

public enum LibGit2 {
    static func ensureInitialized() throws {
        if libgit2Runtime < 0 { throw GitError.libgit2(libgit2Runtime, "cannot initialise libgit2") }
    }

    /// Whether libgit2 keeps the commits and trees it reads in its object cache (process-wide; on by default, up to
    /// 4 KiB an object). A process that reads each commit once and keeps the trees it needs in `TreeCache`
    /// (`dehub verify` answering a history from the verdict cache) turns it off: it would only grow the heap.
    public static func cacheCommitsAndTrees(_ on: Bool) {
        guard (try? ensureInitialized()) != nil else { return }
        _ = dehub_git2_set_commit_and_tree_cache_limit(on ? 4096 : 0)
    }
}

extension ObjectID {
    /// The id held in a libgit2 oid (always 20 bytes for SHA-1 repositories).
    init(_ oid: git_oid) {
        self = Swift.withUnsafeBytes(of: oid.id) { ObjectID(raw: $0) } ?? .zero  // a git_oid is 20 bytes by definition
    }

    /// The libgit2 form of this id.
    var gitOID: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { target in
            withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source.prefix(target.count)))
            }
        }
        return oid
    }
}

extension ObjectID {
    init(_ oid: UnsafePointer<git_oid>) { self.init(oid.pointee) }
}

/// Copies a NUL-terminated C string into raw bytes (no UTF-8 repair).
func bytesOfCString(_ pointer: UnsafePointer<CChar>) -> [UInt8] {
    let length = strlen(pointer)
    return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
        Array(UnsafeBufferPointer(start: $0, count: length))
    }
}

/// Rejects strings that cannot cross into C intact (an embedded NUL would silently truncate them).
func cSafe(_ value: String, _ what: String) throws -> String {
    if value.utf8.contains(0) { throw GitError("\(what) contains a NUL byte") }
    return value
}

/// Reads and frees a libgit2 buffer.
func takeString(_ buffer: inout git_buf) -> String {
    defer { git_buf_dispose(&buffer) }
    guard let pointer = buffer.ptr else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: buffer.size), as: UTF8.self)
}
