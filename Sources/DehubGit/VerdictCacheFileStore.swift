import CGit2
import DehubCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The verdict cache of a repository (format §9.3): the file `dehub/verdicts-v1` in its git directory (the common
/// one, shared by its work trees). Written whole to a temporary file in the same directory, then renamed over the old
/// one, so a reader sees the old file or the new one; a file torn by a crash fails its checksum and is ignored.
public struct VerdictCacheFileStore: VerdictCacheStoring {
    public let path: String
    public static let fileName = "verdicts-v1"

    public init(path: String) { self.path = path }

    /// The store of `repository`: `GIT_COMMON_DIR/dehub/verdicts-v1`.
    public init(repository: GitRepository) {
        self.init(path: repository.commonDirectory + "/dehub/" + Self.fileName)
    }

    public func read(limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= limit else { return nil }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { readSome(fd, $0.baseAddress! + done, size - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        return bytes
    }

    public func write(_ bytes: [UInt8]) throws {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !directory.isEmpty, mkdir(directory, 0o755) != 0, errno != EEXIST {
            throw GitError("cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        let temporary = "\(path).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw GitError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { writeSome(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                let why = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw GitError("cannot write \(temporary): \(why)")
            }
            done += n
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw GitError("cannot replace \(path): \(why)")
        }
    }
}

extension GitRepository {
    /// The directory holding what the work trees of a repository share (objects, refs): the git directory itself
    /// unless this is a linked work tree.
    public var commonDirectory: String {
        GitRepository.trimmedPath(git_repository_commondir(handle)) ?? gitDirectory
    }
}

private func readSome(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
private func writeSome(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
