#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads this process's environment without Foundation (the hook binary stays small).
enum ProcessEnvironment {
    static func value(_ name: String) -> String? {
        guard let pointer = getenv(name) else { return nil }
        return String(cString: pointer)
    }

    /// A snapshot of the whole environment.
    static func current() -> [String: String] {
        var result: [String: String] = [:]
        #if canImport(Darwin)
            guard var cursor = _NSGetEnviron()?.pointee else { return result }
        #else
            var cursor = environ
        #endif
        while let entry = cursor.pointee {
            let pair = String(cString: entry)
            if let equals = pair.firstIndex(of: "=") {
                let name = String(pair[..<equals])
                if result[name] == nil { result[name] = String(pair[pair.index(after: equals)...]) }
            }
            cursor += 1
        }
        return result
    }

    /// git's notion of a true boolean environment value.
    static func isTrue(_ value: String?) -> Bool {
        guard let value = value?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(value)
    }
}
