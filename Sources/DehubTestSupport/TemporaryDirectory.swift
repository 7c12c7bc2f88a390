import Foundation

/// A fresh directory under the system's temporary folder, deleted with everything in it when released.
/// `path` is canonical (symlinks resolved), so it compares equal to paths that git and libgit2 print.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(prefix: String = "dehub-test") throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(prefix).XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else {
            throw TemporaryDirectoryError(message: "cannot create a temporary directory under \(base): errno \(errno)")
        }
        let created = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        path = URL(fileURLWithPath: created).resolvingSymlinksInPath().path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path` joined with a relative path.
    public func appending(_ relative: String) -> String {
        relative.isEmpty ? path : path + "/" + relative
    }
}

/// The temporary directory could not be made.
public struct TemporaryDirectoryError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
