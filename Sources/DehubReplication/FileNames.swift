#if canImport(Glibc)
    import Glibc
#endif

/// The few file-system calls the cache needs, without Foundation.
enum FileNames {
    /// The names in a directory, without `.` and `..`.
    static func list(_ directory: String) throws -> [String] {
        guard let handle = opendir(directory) else { throw ReplicationError("cannot read \(directory)") }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// A hard link, else false.
    static func link(_ source: String, _ target: String) -> Bool { Glibc.link(source, target) == 0 }

    static func remove(_ path: String) { unlink(path) }

    /// The number of objects a pack index (version 2) lists: the last entry of its fan-out table; nil when the file
    /// is not one.
    static func packIndexCount(_ path: String) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 8 + 256 * 4)
        let n = header.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n == header.count, header[0..<8] == [0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2] else { return nil }
        return header[(8 + 255 * 4)...].prefix(4).reduce(0) { $0 << 8 | Int($1) }
    }
}
