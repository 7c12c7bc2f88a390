import DehubTestSupport
import Foundation
import Subprocess
import Testing

@testable import DehubHost

/// `GitLaunch`: git is found on PATH once (skipping what is not an executable regular file, and relative
/// directories), and every git gets the host's environment with the fixed settings and without the variables
/// that would point it elsewhere.
@Suite("Git launch")
struct GitLaunchTests {
    @Test("the first executable regular file on PATH wins; directories, plain files and relative entries are skipped")
    func find() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("git-launch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for directory in ["dir", "plain", "exec", "later", "relative"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(atPath: root + "/dir/tool", withIntermediateDirectories: true)
        FileManager.default.createFile(
            atPath: root + "/plain/tool", contents: Data("x".utf8), attributes: [.posixPermissions: 0o644])
        for directory in ["exec", "later"] {
            FileManager.default.createFile(
                atPath: root + "/\(directory)/tool", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        }
        let path = ["", "relative", root + "/missing", root + "/dir", root + "/plain", root + "/exec/", root + "/later"]
        #expect(GitLaunch.find("tool", pathValue: path.joined(separator: ":")) == root + "/exec/tool")
        #expect(GitLaunch.find("tool", pathValue: root + "/dir:" + root + "/plain") == nil)
        #expect(GitLaunch.find("tool", pathValue: nil) == nil)
        #expect(GitLaunch.find("../exec/tool", pathValue: root + "/later") == nil)
    }

    @Test("git is found on this machine's PATH, by its absolute path")
    func executable() throws {
        let found = try #require(GitLaunch.find("git", pathValue: ProcessInfo.processInfo.environment["PATH"]))
        #expect(found.hasPrefix("/") && found.hasSuffix("/git"))
        #expect(GitLaunch.executable.description.contains(found))
    }

    @Test("the base environment keeps the host's variables, sets the fixed ones and drops the redirecting ones")
    func baseEnvironment() {
        let inherited = [
            "PATH": "/usr/bin", "HOME": "/home/h", "GIT_DIR": "/elsewhere", "GIT_WORK_TREE": "/w",
            "GIT_OBJECT_DIRECTORY": "/o", "GIT_ALTERNATE_OBJECT_DIRECTORIES": "/a", "GIT_PROTOCOL": "version=1",
            "GIT_NAMESPACE": "n", "GIT_CONFIG_GLOBAL": "/home/h/.gitconfig", "GIT_TERMINAL_PROMPT": "1",
        ]
        let base = GitLaunch.baseEnvironment(inherited)
        #expect(base["PATH"] == "/usr/bin")
        #expect(base["HOME"] == "/home/h")
        for name in GitLaunch.removed { #expect(base[Environment.Key(stringLiteral: name)] == nil) }
        for (name, value) in GitLaunch.fixedSettings { #expect(base[Environment.Key(stringLiteral: name)] == value) }
    }

    @Test("a run's variables are added to the base, and win over it")
    func runEnvironment() async throws {
        let output = try await Subprocess.run(
            GitLaunch.executable, arguments: ["var", "GIT_PAGER"],
            environment: GitLaunch.environment(["GIT_PROTOCOL": "version=2", "GIT_PAGER": "less"]),
            output: .string(limit: 4096), error: .discarded)
        #expect(output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "less")
        let protocolValue = try await Subprocess.run(
            .path("/usr/bin/env"), environment: GitLaunch.environment(["GIT_PROTOCOL": "version=2"]),
            output: .string(limit: 1 << 20), error: .discarded)
        let lines = Set(protocolValue.standardOutput.split(separator: "\n").map(String.init))
        #expect(lines.contains("GIT_PROTOCOL=version=2"))
        #expect(lines.contains("GIT_CONFIG_NOSYSTEM=1"))
        #expect(!lines.contains { $0.hasPrefix("GIT_DIR=") })
    }
}
