#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A temporary directory for a replica cache used outside a repository (`git ls-remote dehub::URL`), removed after.
enum FileRemoval {
    static func temporaryDirectory(prefix: String) throws -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/\(prefix).XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw RemoteHelperFailure("cannot create a temporary directory in \(base)")
        }
        return String(cString: made)
    }

    static func removeTree(_ path: String) throws {
        try FileManager.default.removeItem(atPath: path)
    }
}
