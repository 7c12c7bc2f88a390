#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes to stdout and stderr without the C globals (not concurrency-safe in Swift 6).
public enum Output {
    public static func out(_ text: String) { write(1, text + "\n") }
    public static func err(_ text: String) { write(2, text + "\n") }

    static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { p in
                #if canImport(Glibc)
                    Glibc.write(fd, p.baseAddress! + offset, p.count - offset)
                #else
                    Darwin.write(fd, p.baseAddress! + offset, p.count - offset)
                #endif
            }
            if n <= 0 { return }
            offset += n
        }
    }
}
