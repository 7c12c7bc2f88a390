import Foundation
import Subprocess
import SystemPackage

/// How the host starts git: the executable found on `PATH` once, and the environment every git gets, built once
/// from the host's own.
///
/// Both are per-run costs otherwise. swift-subprocess resolves `.name("git")` by trying a spawn in every directory
/// of `PATH` in turn (a clone and a failed `execve` per directory before git's: with git in the eighth, eight
/// spawns for every git the host runs), and `.inherit` copies the host's whole environment under the libc's
/// environment lock for every spawn. The host never changes its own environment while serving, so what both
/// would find is the same every time.
enum GitLaunch {
    /// The variables every git the host spawns gets: no prompts, no pager, the host's own settings never taken
    /// from a user's global or system config (`GIT_CONFIG_NOSYSTEM`, `GIT_CONFIG_GLOBAL`).
    static let fixedSettings: [String: String] = [
        "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
    ]

    /// Variables of the host's environment git never inherits: they would point git at another repository,
    /// object store or namespace, or pick a protocol the client did not ask for.
    static let removed: Set<String> = [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_PROTOCOL",
        "GIT_NAMESPACE",
    ]

    /// git as the host runs it: its absolute path when `PATH` holds one, else the name (Subprocess then searches
    /// `PATH` itself and reports a missing git).
    static let executable: Executable = {
        guard let path = find("git", pathValue: ProcessInfo.processInfo.environment["PATH"]) else { return .name("git") }
        return .path(FilePath(path))
    }()

    /// The host's environment with `fixedSettings` and without `removed`, read once.
    private static let base: [Environment.Key: String] = baseEnvironment(ProcessInfo.processInfo.environment)

    /// The environment of one git: the base, plus `extra` (which wins).
    static func environment(_ extra: [String: String] = [:]) -> Environment {
        var values = base
        for (key, value) in extra { values[Environment.Key(stringLiteral: key)] = value }
        return .custom(values)
    }

    /// `inherited` with `fixedSettings` set and `removed` taken out.
    static func baseEnvironment(_ inherited: [String: String]) -> [Environment.Key: String] {
        var values: [Environment.Key: String] = [:]
        for (key, value) in inherited where !removed.contains(key) && fixedSettings[key] == nil {
            values[Environment.Key(stringLiteral: key)] = value
        }
        for (key, value) in fixedSettings { values[Environment.Key(stringLiteral: key)] = value }
        return values
    }

    /// The first regular file named `name` that this process may execute in the absolute directories of
    /// `pathValue` (relative entries, which would depend on the current directory, are skipped), or nil.
    static func find(_ name: String, pathValue: String?) -> String? {
        guard let pathValue, !name.isEmpty, !name.contains("/") else { return nil }
        for directory in pathValue.split(separator: ":") where directory.hasPrefix("/") {
            let candidate = directory.hasSuffix("/") ? String(directory) + name : String(directory) + "/" + name
            var info = stat()
            guard stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 else {
                continue
            }
            return candidate
        }
        return nil
    }
}
