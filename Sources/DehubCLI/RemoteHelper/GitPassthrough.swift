import DehubCore

#if canImport(Glibc)
    import Glibc
#endif

/// Runs git with the terminal's stdin, stdout and stderr (a clone's progress, its prompts), with the directory of
/// `git-remote-dehub` on PATH when it lies next to this binary and is not on PATH already.
enum GitPassthrough {
    static func run(_ arguments: [String], needsHelper: Bool = true) throws -> Int32 {
        var environment = ProcessInfoLite.environment
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let onPath = path.split(separator: ":").contains { access("\($0)/git-remote-dehub", X_OK) == 0 }
        if needsHelper, !onPath {
            guard let directory = ownDirectory(), access(directory + "/git-remote-dehub", X_OK) == 0 else {
                throw CLIError(
                    "git-remote-dehub is not on PATH, so git cannot fetch dehub:: URLs",
                    hint: "install it next to dehub: ln -s dehub \"$(dirname \"$(command -v dehub)\")/git-remote-dehub\"",
                    status: .unavailable)
            }
            environment["PATH"] = directory + ":" + path
        }
        let argv = ["git"] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStrings(argv) { cargv in
            withCStrings(envp) { cenvp in posix_spawnp(&pid, "git", nil, nil, cargv, cenvp) }
        }
        guard status == 0 else { throw CLIError("cannot run git: \(String(cString: strerror(status)))", status: .unavailable) }
        var wait: Int32 = 0
        while waitpid(pid, &wait, 0) < 0 {
            guard errno == EINTR else { throw CLIError("cannot wait for git", status: .ioError) }
        }
        return (wait & 0x7f) == 0 ? (wait >> 8) & 0xff : 128 + (wait & 0x7f)
    }

    /// The directory of the running executable.
    private static func ownDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path.lastIndex(of: "/").map { String(path[..<$0]) }
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }
}

/// The process environment, read once from `environ`.
enum ProcessInfoLite {
    static var environment: [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }
}
