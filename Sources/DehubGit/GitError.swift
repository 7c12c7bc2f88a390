import CGit2

/// A libgit2 operation failed. The message says what was attempted and includes libgit2's own text.
public struct GitError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    /// libgit2's return code (`GIT_ENOTFOUND`, ...), or nil when the error did not come from libgit2.
    public var code: Int32?

    public init(_ message: String, code: Int32? = nil) {
        self.message = message
        self.code = code
    }

    public var description: String { message }

    /// True when libgit2 said the thing looked for does not exist.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }

    /// Builds an error from libgit2's last error on this thread.
    static func libgit2(_ code: Int32, _ what: String) -> GitError {
        var text = "error \(code)"
        if let last = git_error_last(), let cMessage = last.pointee.message {
            text = String(cString: cMessage)
        }
        return GitError("\(what): \(text)", code: code)
    }
}

/// Throws a `GitError` naming `what` when `code` is a libgit2 failure (negative).
@inline(__always)
func check(_ code: Int32, _ what: @autoclosure () -> String) throws {
    if code < 0 { throw GitError.libgit2(code, what()) }
}
