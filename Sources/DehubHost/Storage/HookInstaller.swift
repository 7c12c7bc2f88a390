import Foundation

/// Installs the dehub verification hook: one shared copy of the binary in `DATA/bin/dehub`, and in
/// every repo a `hooks/pre-receive` script that execs it with `hook pre-receive`.
public struct HookInstaller: Sendable {
    public let data: DataDirectory

    public init(data: DataDirectory) { self.data = data }

    /// Where the hook comes from when `--hook` is not given: a `dehub` next to the running
    /// `dehub-host`, else `dehub` on `PATH`.
    public static func defaultSource() -> String? {
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let sibling = (exe as NSString).deletingLastPathComponent + "/dehub"
            if FileManager.default.isExecutableFile(atPath: sibling) { return sibling }
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = String(dir) + "/dehub"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Copies `source` to `DATA/bin/dehub` when given explicitly or when no copy exists yet.
    /// Fails closed: without a hook binary the host does not serve (nothing would guard pushes).
    public func installBinary(explicitSource: String?) throws {
        let destination = data.hookBinary
        let source: String
        if let explicitSource {
            source = FileIO.absolute(explicitSource)
        } else if FileIO.exists(destination) {
            return
        } else if let found = Self.defaultSource() {
            source = found
        } else {
            throw HostError(
                .config, "no dehub hook binary found (looked next to dehub-host and on PATH)",
                hint: "build it (`swift build --product dehub`) and pass --hook PATH")
        }
        guard FileManager.default.isExecutableFile(atPath: source) else {
            throw HostError(.usage, "the hook \(source) is not an executable file")
        }
        try FileIO.makeDirectory(data.binDirectory)
        try FileIO.copyAtomically(source, to: destination, mode: 0o755)
    }

    /// The `pre-receive` script of every repo.
    public func preReceiveScript() throws -> String {
        guard !data.hookBinary.contains("'") else {
            throw HostError(.config, "the data directory path must not contain a single quote")
        }
        return """
            #!/bin/sh
            # Installed by dehub-host: every push is verified by the dehub hook. Do not edit.
            exec '\(data.hookBinary)' hook pre-receive

            """
    }

    /// Writes the repo's `hooks/pre-receive` when missing or different (and, on a cluster node only, its
    /// `hooks/reference-transaction`: `ClusterRepoSetup`).
    public func installScript(inRepo repoPath: String) throws {
        let hooks = repoPath + "/hooks"
        try FileIO.makeDirectory(hooks)
        try ClusterRepoSetup.apply(data: data, repoPath: repoPath)
        let script = try preReceiveScript()
        let path = hooks + "/pre-receive"
        if let current = try? FileIO.readText(path), current == script,
            FileManager.default.isExecutableFile(atPath: path)
        {
            return
        }
        try FileIO.writeAtomically(script, to: path, mode: 0o755)
    }
}
