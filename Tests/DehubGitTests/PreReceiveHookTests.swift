import DehubCore
import DehubTestSupport
import Foundation
import Testing

@testable import DehubGit

/// The hook's way of opening a repository, proven in a real `git push` over file://: the pre-receive hook
/// re-runs this test binary (filtered to `HookProbe`) with the environment git gives hooks, without HOME,
/// GIT_CONFIG_GLOBAL or GIT_CONFIG_NOSYSTEM. The probe writes what it saw to a file this test checks.
/// (Running in a child process keeps GIT_DIR and friends out of this process's environment, which the
/// other tests share.)
@Suite struct PreReceiveHookTests {
    private static let outputVariable = "DEHUB_GIT_PROBE_OUTPUT"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/exe")))
    func preReceiveHookSeesQuarantinedObjects() throws {
        let server = try GitFixture.make(bare: true)
        try server.setConfig("dehub.maxCommits", "123")
        let client = try GitFixture.make()
        try client.write("a.txt", "a\n")
        let base = try client.commit("base")
        try client.git("push", "--quiet", server.path, "main")

        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        try server.installHook(
            "pre-receive",
            script: """
                #!/bin/sh
                unset HOME GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM
                exec '\(binary)' --testing-library swift-testing --filter 'HookProbe' >"$\(Self.outputVariable).log" 2>&1

                """)

        try client.write("b.txt", "bee\n")
        let second = try client.commit("second\n\nbody  \n")
        try client.git("branch", "feature")
        try client.write("c.txt", "sea\n")
        let third = try client.commit("third")
        try client.git("checkout", "--quiet", "feature")
        try client.write("f.txt", "eff\n")
        let feature = try client.commit("feature")

        let output = client.directory.appending("probe.txt")
        let push = try client.gitOutput(
            ["push", "--quiet", server.path, "main", "feature"], environment: [Self.outputVariable: output])
        let log = (try? String(contentsOfFile: output + ".log", encoding: .utf8)) ?? "(no log)"
        #expect(push.status == 0, "push failed: \(push.stderrText)\nprobe log:\n\(log)")
        let seen = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)

        #expect(seen.contains("bare=true"), "\(seen)")
        #expect(seen.contains("maxCommits=123"), "\(seen)")
        #expect(seen.contains("home=unset"), "\(seen)")
        #expect(seen.contains("refs/heads/main \(base) \(third) commits=\(second),\(third)"), "\(seen)")
        // The new branch: everything no reference reaches yet, `second` included (main has not moved yet).
        #expect(
            seen.contains("refs/heads/feature 0000000000000000000000000000000000000000 \(feature) commits=\(second),\(feature)"),
            "\(seen)")
        #expect(
            seen.contains("message \(second)=" + Array("second\n\nbody  \n".utf8).map { String($0) }.joined(separator: ",")),
            "\(seen)")
        #expect(seen.contains("changes \(third)=c.txt"), "\(seen)")
        #expect(seen.contains("blob \(third)=sea\\n"), "\(seen)")
        #expect(seen.contains("plain-open-sees-new-commit=false"), "\(seen)")
        #expect(!seen.contains { $0.hasPrefix("error=") }, "\(seen)")
        // The push went through: the server has the new commits.
        #expect(try server.revParse("main") == third)
    }
}

/// Runs only inside the pre-receive hook above (it needs the hook's environment and stdin).
@Suite struct HookProbe {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DEHUB_GIT_PROBE_OUTPUT"] != nil))
    func preReceiveProbe() throws {
        let output = try #require(ProcessInfo.processInfo.environment["DEHUB_GIT_PROBE_OUTPUT"])
        var lines: [String] = []
        do {
            try probe(into: &lines)
        } catch {
            lines.append("error=\(error)")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: output, atomically: true, encoding: .utf8)
    }

    private func probe(into lines: inout [String]) throws {
        lines.append("home=\(getenv("HOME") == nil ? "unset" : "set")")
        let repo = try GitRepository.openFromEnvironment()
        lines.append("bare=\(repo.isBare)")
        lines.append("maxCommits=\(repo.configValue("dehub.maxCommits") ?? "nil")")
        let plain = try GitRepository.open(path: ".")
        while let line = readLine() {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 3, let old = ObjectID(hex: fields[0]), let new = ObjectID(hex: fields[1]) else {
                lines.append("error=bad line \(line)")
                continue
            }
            let commits =
                old.isZero
                ? try repo.commitsNotReachableFromAnyRef(new)
                : try repo.commits(from: new, excluding: [old])
            lines.append("\(fields[2]) \(old) \(new) commits=\(commits.map(\.hex).joined(separator: ","))")
            for id in commits {
                let commit = try repo.commit(id)
                lines.append("message \(id)=\(Array(commit.message.utf8).map { String($0) }.joined(separator: ","))")
                let changes = try repo.changedFiles(of: commit)
                lines.append("changes \(id)=\(changes.map(\.pathString).joined(separator: ","))")
                if let blob = try repo.blob(at: "c.txt", inTree: commit.tree, limit: 100) {
                    lines.append(
                        "blob \(id)=\(String(decoding: blob, as: UTF8.self).replacingOccurrences(of: "\n", with: "\\n"))")
                }
            }
            if !old.isZero { lines.append("plain-open-sees-new-commit=\((try? plain.commit(new)) != nil)") }
        }
    }
}
