import CGit2

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Builds the configuration git itself would read for a repository.
///
/// libgit2 1.5 ignores GIT_CONFIG_GLOBAL, GIT_CONFIG_SYSTEM and GIT_CONFIG_NOSYSTEM. When any of them is set
/// we assemble the levels ourselves (system, XDG, global, local), as git does; otherwise libgit2's own view
/// is used. A missing HOME simply means there is no global file.
enum GitConfigLoader {
    static func load(for repository: OpaquePointer) throws -> OpaquePointer {
        let global = ProcessEnvironment.value("GIT_CONFIG_GLOBAL")
        let system = ProcessEnvironment.value("GIT_CONFIG_SYSTEM")
        let noSystem = ProcessEnvironment.isTrue(ProcessEnvironment.value("GIT_CONFIG_NOSYSTEM"))
        if global == nil && system == nil && !noSystem {
            var config: OpaquePointer?
            try check(git_repository_config(&config, repository), "cannot read the repository's configuration")
            guard let config else { throw GitError("cannot read the repository's configuration") }
            return config
        }

        var config: OpaquePointer?
        try check(git_config_new(&config), "cannot create a configuration")
        guard let config else { throw GitError("cannot create a configuration") }
        do {
            if !noSystem {
                try add(system ?? found(git_config_find_system), GIT_CONFIG_LEVEL_SYSTEM, config, repository)
            }
            if let global {
                try add(global, GIT_CONFIG_LEVEL_GLOBAL, config, repository)
            } else {
                try add(found(git_config_find_xdg), GIT_CONFIG_LEVEL_XDG, config, repository)
                try add(found(git_config_find_global), GIT_CONFIG_LEVEL_GLOBAL, config, repository)
            }
            if let common = git_repository_commondir(repository) {
                try add(String(cString: common) + "config", GIT_CONFIG_LEVEL_LOCAL, config, repository)
            }
        } catch {
            git_config_free(config)
            throw error
        }
        return config
    }

    private static func found(_ finder: (UnsafeMutablePointer<git_buf>?) -> Int32) -> String? {
        var buffer = git_buf()
        guard finder(&buffer) == 0 else {
            git_buf_dispose(&buffer)
            git_error_clear()
            return nil
        }
        return takeString(&buffer)
    }

    /// Adds `path` at `level` when it is a regular file (so `/dev/null` and absent files count as empty).
    private static func add(
        _ path: String?, _ level: git_config_level_t, _ config: OpaquePointer, _ repository: OpaquePointer
    ) throws {
        guard let path, !path.isEmpty, !path.utf8.contains(0) else { return }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        try check(git_config_add_file_ondisk(config, path, level, repository, 0), "cannot read git configuration '\(path)'")
    }
}
