import DehubTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// What ordinary git clients ask of a host beyond clone and push: partial clones with lazy fetches on every
    /// protocol version, and push options (`git push -o`, used by CI tools), over both transports.
    @Suite("Partial clones and push options, end to end")
    struct GitFeaturesTests {
        /// A hook that records the push options git hands it, then runs the stand-in hook.
        static func recordingHook(_ root: String) throws -> String {
            let standIn = try HostHook.standIn(in: root)
            let path = root + "/recording-hook"
            let script = """
                #!/bin/sh
                env | grep '^GIT_PUSH_OPTION' | sort >> '\(root)/push-options.log'
                exec '\(standIn)' "$@"

                """
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            return path
        }

        @Test(
            "partial clone (--filter=blob:none) and its lazy fetches at checkout and later, over HTTP and SSH, protocol 0, 1 and 2",
            arguments: ["http", "ssh"], [0, 1, 2])
        func partialClone(transport: String, protocolVersion: Int) throws {
            let host = try HostFixture.start()
            defer { host.stop() }
            let server = host.server
            // A second version of README, so that the first one is a blob only history reaches.
            let work = try host.clone(server.sshURL("demo"), to: "work", key: host.admin)
            try server.commit(in: work, message: "second: signed", file: "README", content: "second\n")
            try host.expectOK(server.git(["push", "-q", "origin", "main"], key: host.admin, in: work))

            // A stranger's key is refused at login (known keys win): strangers read as `anonymous@`.
            let url = transport == "ssh" ? server.sshURL("demo", user: "anonymous") : server.httpURL("demo")
            let clone = server.root + "/partial"
            let version = ["-c", "protocol.version=\(protocolVersion)"]
            // The checkout fetches README's current blob lazily.
            try host.expectOK(server.git(version + ["clone", "-q", "--filter=blob:none", url, clone], key: host.stranger))
            #expect(try String(contentsOfFile: clone + "/README", encoding: .utf8) == "second\n")
            #expect(
                try host.expectOK(server.git(["config", "remote.origin.partialclonefilter"], in: clone)).stdout.contains(
                    "blob:none"))
            // The first README is not here until it is asked for: one more lazy fetch, by object id.
            let missing = try host.expectOK(server.git(["rev-list", "--objects", "--missing=print", "main"], in: clone)).stdout
            #expect(missing.contains("?"), "no blob was left out: \(missing)")
            let old = try server.git(version + ["show", "HEAD~1:README"], key: host.stranger, in: clone)
            #expect(old.status == 0, "\(old.output)")
            #expect(old.stdout == "hello\n")
        }

        @Test("git push -o ci.skip is accepted and its options reach the hook, over HTTP and SSH", arguments: ["http", "ssh"])
        func pushOptions(transport: String) throws {
            let server = try HostTestServer(hook: Self.recordingHook)
            defer { server.stop(); server.removeFiles() }
            let admin = try server.makeKey("admin")
            try server.start(adminKey: admin)
            _ = try server.ssh(["repo", "create", "demo"], key: admin)
            let seed = try server.makeWorkTree("seed", message: "root: signed")
            let root = try server.git(["push", "-q", server.sshURL("demo"), "main"], key: admin, in: seed)
            #expect(root.status == 0, "\(root.output)")

            let url = transport == "ssh" ? server.sshURL("demo") : server.httpURL("demo")
            try server.commit(in: seed, message: "with options: signed")
            let push = try server.git(["push", "-q", "-o", "ci.skip", "-o", "note=two words", url, "main"], key: admin, in: seed)
            #expect(push.status == 0, "\(push.output)")
            let log = (try? String(contentsOfFile: server.root + "/push-options.log", encoding: .utf8)) ?? ""
            #expect(log.contains("GIT_PUSH_OPTION_COUNT=2"), "\(log)")
            #expect(log.contains("GIT_PUSH_OPTION_0=ci.skip"), "\(log)")
            #expect(log.contains("GIT_PUSH_OPTION_1=note=two words"), "\(log)")
        }
    }
}
