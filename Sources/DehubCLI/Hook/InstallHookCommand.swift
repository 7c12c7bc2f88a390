import ArgumentParser
import DehubGit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

struct InstallHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-hook",
        abstract: "Install dehub as a repository's pre-receive hook (server) or pre-push hook (developer).",
        discussion: """
            Writes hooks/pre-receive (or hooks/pre-push with --pre-push) as a two-line script that runs this dehub \
            binary, or, with --copy, a copy of the binary itself (which acts as the hook by its name). Refuses to \
            replace a hook that dehub did not install unless --force.
            """)

    static let marker = "# installed by dehub install-hook"

    @ParentCommand var root: DehubCommand
    @Option(help: "The repository (default: -C PATH or the current directory).") var repo: String?
    @Flag(help: "Install the client-side pre-push check instead of the server-side pre-receive hook.") var prePush = false
    @Flag(help: "Copy the dehub binary into hooks/ instead of writing a script that runs it.") var copy = false
    @Flag(help: "Replace an existing hook that dehub did not install.") var force = false

    func run() async throws {
        try await ErrorPresenter.run {
            let repository: GitRepository
            do {
                repository = try GitRepository.open(path: repo ?? root.repository.directory)
            } catch let error as GitError {
                throw CLIError("not a git repository: \(repo ?? root.repository.directory) (\(error.message))", status: .noInput)
            }
            let name = prePush ? "pre-push" : "pre-receive"
            let hooks =
                repository.gitDirectory.hasSuffix("/") ? repository.gitDirectory + "hooks" : repository.gitDirectory + "/hooks"
            let target = hooks + "/" + name
            let files = FileManager.default
            try? files.createDirectory(atPath: hooks, withIntermediateDirectories: true)
            let binary = try Self.executablePath()

            if files.fileExists(atPath: target), !force, !(try Self.isOurs(target, binary: binary)) {
                throw CLIError(
                    "\(target) exists and was not installed by dehub",
                    hint: "move it away, or pass --force to replace it", status: .dataError)
            }
            let temporary = target + ".dehub-new"
            try? files.removeItem(atPath: temporary)
            if copy {
                try files.copyItem(atPath: binary, toPath: temporary)
            } else {
                let arguments = prePush ? "hook pre-push \"$@\"" : "hook pre-receive"
                let script = "#!/bin/sh\n\(Self.marker)\nexec '\(binary.replacing("'", with: "'\\''"))' \(arguments)\n"
                guard files.createFile(atPath: temporary, contents: Data(script.utf8)) else {
                    throw CLIError("could not write \(temporary)", status: .ioError)
                }
            }
            guard chmod(temporary, 0o755) == 0, rename(temporary, target) == 0 else {
                throw CLIError("could not install \(target): \(String(cString: strerror(errno)))", status: .ioError)
            }
            Output.out("installed \(copy ? "a copy of \(binary)" : "a hook running \(binary)") as \(target)")
            if let hooksPath = repository.configValue("core.hooksPath") {
                Output.err("warning: core.hooksPath is set to \(hooksPath); git runs hooks from there, not from \(hooks)")
            }
            return .ok
        }
    }

    static func executablePath() throws -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { throw CLIError("cannot find the dehub executable's path", status: .internalError) }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func isOurs(_ path: String, binary: String) throws -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        if data.count < 4096, String(decoding: data, as: UTF8.self).contains(marker) { return true }
        // A copy of a dehub binary: same bytes as this one.
        return FileManager.default.contentsEqual(atPath: path, andPath: binary)
    }
}
