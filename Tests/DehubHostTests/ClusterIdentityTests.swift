import DehubCluster
import DehubTestSupport
import Foundation
import Testing

extension ClusterSuites {
    /// The node identity (docs/cluster.md, "Node identity"; threat model A36): nodes replicate private repos and proxy
    /// requests with HMAC tokens under the shared cluster secret, and a proxied request runs as the client the
    /// proxying node authenticated, under the target's own access rules.
    @Suite("Cluster node identity: private repos replicate and proxy; the proxy never widens access")
    struct ClusterIdentityTests {
        /// A repo name whose replica set (2 of n0, n1, n2) holds n0, and the node outside it.
        static func privateRepo() throws -> (name: String, replicas: [Int], proxy: Int) {
            for i in 0..<100 {
                let name = "secret\(i)"
                let set = ReplicaSet.choose(repo: name, nodes: ["n0", "n1", "n2"], count: 2)
                if set.contains("n0"), let proxy = (0..<3).first(where: { !set.contains("n\($0)") }) {
                    return (name, set.map { Int($0.dropFirst())! }.sorted(), proxy)
                }
            }
            throw HostTestError("no repo name with n0 among its replicas")
        }

        /// `curl` of a smart-HTTP advertisement with extra headers: the status code and body.
        static func advertisement(
            _ node: HostTestServer, _ repo: String, service: String = "git-upload-pack", credentials: String? = nil,
            headers: [String] = []
        ) throws -> (status: Int, body: String) {
            var arguments = ["curl", "-s", "-m", "30", "-o", "-", "-w", "\n%{http_code}"]
            if let credentials { arguments += ["-u", credentials] }
            for header in headers { arguments += ["-H", header] }
            arguments.append("http://127.0.0.1:\(node.httpPort)/\(repo).git/info/refs?service=\(service)")
            let output = try HostCommandRunner.run(arguments, environment: node.environment, timeout: 60).stdout
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
        }

        @Test(
            "a private repo pushed to node 0 replicates and is served by every node to its owner; strangers and anonymous clients are refused everywhere"
        )
        func privateRepoServedToItsOwnerOnly() throws {
            let world = try ClusterWorld(config: "cluster_replicas: 2\n")
            defer { world.stop() }
            let (repo, replicas, proxy) = try Self.privateRepo()
            try world.expectOK(world.nodes[0].ssh(["repo", "create", repo, "--private"], key: world.admin))
            try world.expectOK(world.push(["main"], over: world.nodes[0].sshURL(repo), key: world.admin))
            let tip = try world.scenario.git("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)
            // The other replica fetched it from node 0 with its node token (anonymous fetches cannot read it).
            let other = replicas.first { $0 != 0 }!
            try world.wait("node \(other) holds the private repo", timeout: 30) {
                FileManager.default.fileExists(atPath: world.repoPath(other, repo))
                    && (try? world.nodes[other].git(["--git-dir", world.repoPath(other, repo), "rev-parse", "main"]).stdout
                        .trimmingCharacters(in: .whitespacesAndNewlines)) == tip
            }
            #expect(!FileManager.default.fileExists(atPath: world.repoPath(proxy, repo)), "node \(proxy) is no replica")

            let stranger = try world.nodes[0].makeKey("stranger")
            for i in world.nodes.indices {
                let node = world.nodes[i]
                // The owner (an admin of every node), with this node's own token: served, by the node outside the
                // replica set through a proxied request.
                let ownerToken = try EndToEnd.HTTPAuthenticatedPrefixTests.token(node, name: "alice", key: world.admin)
                let url = "http://x:\(ownerToken)@127.0.0.1:\(node.httpPort)/auth/\(repo).git"
                let heads = try world.expectOK(node.git(["ls-remote", url, "main"])).stdout
                #expect(heads.hasPrefix(tip), "node \(i): \(heads)")
                let clone = node.root + "/owner-clone-\(i)"
                try world.expectOK(node.git(["clone", "-q", url, clone]))
                #expect(try node.git(["-C", clone, "rev-parse", "HEAD"]).stdout.hasPrefix(tip), "node \(i)")
                // A stranger with a token of this node: the repo is not there for them.
                let strangerToken = try EndToEnd.HTTPAuthenticatedPrefixTests.token(node, name: "stranger", key: stranger)
                let refused = try Self.advertisement(node, repo, credentials: "x:\(strangerToken)")
                #expect(refused.status == 404, "node \(i): \(refused)")
                #expect(refused.body.contains("repository not found"), "node \(i): \(refused)")
                // Anonymous: asked for credentials, on the proxying node too (the proxy does not widen access).
                let anonymous = try Self.advertisement(node, repo)
                #expect(anonymous.status == 401, "node \(i): \(anonymous)")
                let anonymousClone = try node.git(["clone", "-q", node.httpURL(repo), node.root + "/anon-\(i)"])
                #expect(anonymousClone.status != 0, "node \(i)")
                // Over SSH the stranger (known to the host through its token) is refused on every node.
                let ssh = try node.git(["ls-remote", node.sshURL(repo)], key: stranger)
                #expect(ssh.status != 0, "node \(i): \(ssh.output)")
                #expect(!ssh.stdout.contains(tip), "node \(i)")
                // And an anonymous SSH client (no key) is refused on every node.
                let keyless = try node.git(["ls-remote", node.sshURL(repo)], key: nil)
                #expect(keyless.status != 0, "node \(i): \(keyless.output)")
                #expect(!keyless.stdout.contains(tip), "node \(i)")
            }
        }

        @Test(
            "a forged, expired, misaddressed or other-secret node token is refused with its reason; a valid one still runs as its client"
        )
        func forgedTokensRefused() throws {
            let world = try ClusterWorld()
            defer { world.stop() }
            try world.waitConverged()
            let node = world.nodes[1]
            let audience = "http://127.0.0.1:\(node.httpPort)"
            let secret = try ClusterSecret.load(path: world.secretFile)
            let otherFile = try ClusterWorld.makeSecretFile()
            defer { try? FileManager.default.removeItem(atPath: otherFile) }
            let other = try ClusterSecret.load(path: otherFile)
            let alice = try String(contentsOfFile: world.admin + ".pub", encoding: .utf8)
                .split(separator: " ").prefix(2).joined(separator: " ")
            let now = Int64(Date().timeIntervalSince1970)
            func headers(
                _ secret: ClusterSecret, at time: Int64, audience: String = audience, acting: NodeActing,
                service: String = "git-upload-pack", signedAs: NodeActing? = nil
            ) -> [String] {
                let scope = NodeTokenScope(audience: audience, repo: "project", service: service, acting: signedAs ?? acting)
                return [
                    "\(NodeToken.header): \(NodeToken.issue(secret: secret, from: "n0", scope: scope, now: time))",
                    "\(NodeToken.actingHeader): \(acting.headerValue)",
                ]
            }
            func expectRefused(_ headers: [String], _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
                let answer = try Self.advertisement(node, "project", headers: headers)
                #expect(answer.status == 403, "\(answer)", sourceLocation: sourceLocation)
                #expect(answer.body.contains(reason), "\(answer)", sourceLocation: sourceLocation)
            }
            let asAlice = NodeActing.key(alice)
            // The control: a token made here the way a node makes it is taken.
            #expect(try Self.advertisement(node, "project", headers: headers(secret, at: now, acting: asAlice)).status == 200)
            try expectRefused(headers(other, at: now, acting: asAlice), "does not match this node's cluster secret")
            try expectRefused(headers(secret, at: now - 120, acting: asAlice), "expired (issued 1")
            try expectRefused(headers(secret, at: now + 600, acting: asAlice), "in the future")
            try expectRefused(
                headers(secret, at: now, audience: "http://evil.example:1", acting: asAlice), "it is for http://evil.example:1")
            // A token signed for anonymous, sent as alice: the client is inside the HMAC.
            try expectRefused(headers(secret, at: now, acting: asAlice, signedAs: .anonymous), "does not match")
            try expectRefused(
                [
                    "\(NodeToken.header): v1 n0 \(now) \(audience) " + String(repeating: "0", count: 64),
                    "\(NodeToken.actingHeader): node",
                ],
                "does not match")
            try expectRefused(["\(NodeToken.actingHeader): \(asAlice.headerValue)"], "without a cluster node token")
            // A replication token reads; it never pushes.
            let push = try Self.advertisement(
                node, "project", service: "git-receive-pack",
                headers: headers(secret, at: now, acting: .node, service: "git-receive-pack"))
            #expect(push.status == 403, "\(push)")
            #expect(push.body.contains("only reads"), "\(push)")
        }

        @Test("the secret file missing, too open or too short stops serve at once with a clear message")
        func secretFileChecked() throws {
            let server = try HostTestServer()
            defer { server.removeFiles() }
            let hook = try DehubBinary.require()
            let open = try ClusterWorld.makeSecretFile(mode: 0o644)
            let short = NSTemporaryDirectory() + "dehub-short-secret-\(UUID().uuidString)"
            FileManager.default.createFile(
                atPath: short, contents: Data("tooshort\n".utf8), attributes: [.posixPermissions: 0o600])
            defer {
                try? FileManager.default.removeItem(atPath: open)
                try? FileManager.default.removeItem(atPath: short)
            }
            let cases: [([String], String)] = [
                ([], "cluster mode needs --cluster-secret-file FILE"),
                (["--cluster-secret-file", "/nonexistent/secret"], "cannot read the cluster secret file /nonexistent/secret"),
                (["--cluster-secret-file", open], "is readable by others (mode 0644); run chmod 600"),
                (["--cluster-secret-file", short], "the cluster secret has 8 bytes; it needs at least 32"),
            ]
            for (extra, message) in cases {
                let result = try HostCommandRunner.run(
                    [
                        HostTestServer.binary(), "serve", "--data", server.data, "--ssh", "127.0.0.1:0", "--http", "127.0.0.1:0",
                        "--hook", hook, "--cluster-etcd", "http://127.0.0.1:9", "--node-id", "n0",
                    ] + extra, environment: server.environment, timeout: 60)
                #expect(result.status == 64, "\(extra): \(result.output)")
                #expect(result.stderr.contains(message), "\(extra): \(result.output)")
                #expect(!result.output.contains("ready"), "\(extra)")
            }
        }
    }
}
