import Foundation
import Testing

@testable import DehubCluster

/// The node identity's tokens: a node proves it holds the cluster secret, for one target, repo, service and client,
/// within ±60 s. Every refusal is pinned, as the requesting node's log shows it.
@Suite("Node tokens: HMAC under the cluster secret, scoped and time-limited")
struct NodeTokenTests {
    static let secret = try! ClusterSecret(bytes: Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEF".utf8))
    static let other = try! ClusterSecret(bytes: Array("ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvu".utf8))
    static let scope = NodeTokenScope(
        audience: "http://10.0.0.2:8080", repo: "team/project", service: "git-upload-pack",
        acting: .key("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA"))
    static let now: Int64 = 1_800_000_000

    @Test("a token verifies within the window, either way, and names its node")
    func roundTrip() {
        for skew: Int64 in [-60, -1, 0, 1, 60] {
            let token = NodeToken.issue(secret: Self.secret, from: "n1", scope: Self.scope, now: Self.now + skew)
            #expect(NodeToken.verify(token, scope: Self.scope, secret: Self.secret, now: Self.now) == .success("n1"))
        }
    }

    @Test("expired and future tokens are refused with their age")
    func window() {
        let old = NodeToken.issue(secret: Self.secret, from: "n1", scope: Self.scope, now: Self.now - 61)
        #expect(
            NodeToken.verify(old, scope: Self.scope, secret: Self.secret, now: Self.now) == .failure(.expired(ageSeconds: 61)))
        #expect(
            NodeTokenError.expired(ageSeconds: 61).message
                == "cluster node token refused: expired (issued 61 s ago; tokens last 60 s; check the nodes' clocks)")
        let future = NodeToken.issue(secret: Self.secret, from: "n1", scope: Self.scope, now: Self.now + 90)
        #expect(
            NodeToken.verify(future, scope: Self.scope, secret: Self.secret, now: Self.now)
                == .failure(.fromTheFuture(seconds: 90)))
    }

    @Test("another cluster's secret, and a forged HMAC, are refused as not matching")
    func forged() {
        let foreign = NodeToken.issue(secret: Self.other, from: "n1", scope: Self.scope, now: Self.now)
        #expect(NodeToken.verify(foreign, scope: Self.scope, secret: Self.secret, now: Self.now) == .failure(.badSignature))
        let zeros = "v1 n1 \(Self.now) \(Self.scope.audience) " + String(repeating: "0", count: 64)
        #expect(NodeToken.verify(zeros, scope: Self.scope, secret: Self.secret, now: Self.now) == .failure(.badSignature))
        #expect(
            NodeTokenError.badSignature.message
                == "cluster node token refused: its HMAC does not match this node's cluster secret (forged, or another cluster's secret)"
        )
        // Another node id in the header, with the first node's HMAC.
        let token = NodeToken.issue(secret: Self.secret, from: "n1", scope: Self.scope, now: Self.now)
        let renamed = token.replacingOccurrences(of: "v1 n1 ", with: "v1 n2 ")
        #expect(NodeToken.verify(renamed, scope: Self.scope, secret: Self.secret, now: Self.now) == .failure(.badSignature))
    }

    @Test(
        "a token does not carry over to another repo, service or client",
        arguments: [
            NodeTokenScope(audience: scope.audience, repo: "team/other", service: scope.service, acting: scope.acting),
            NodeTokenScope(audience: scope.audience, repo: scope.repo, service: "git-receive-pack", acting: scope.acting),
            NodeTokenScope(audience: scope.audience, repo: scope.repo, service: scope.service, acting: .anonymous),
            NodeTokenScope(audience: scope.audience, repo: scope.repo, service: scope.service, acting: .node),
            NodeTokenScope(
                audience: scope.audience, repo: scope.repo, service: scope.service,
                acting: .key("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB")),
        ])
    func scoped(other: NodeTokenScope) {
        let token = NodeToken.issue(secret: Self.secret, from: "n1", scope: Self.scope, now: Self.now)
        #expect(NodeToken.verify(token, scope: other, secret: Self.secret, now: Self.now) == .failure(.badSignature))
    }

    @Test("a token for another node's URL is refused as such (one relayed from a node registered at a false URL)")
    func audience() {
        var elsewhere = Self.scope
        elsewhere.audience = "http://evil.example:8080"
        let token = NodeToken.issue(secret: Self.secret, from: "n1", scope: elsewhere, now: Self.now)
        #expect(
            NodeToken.verify(token, scope: Self.scope, secret: Self.secret, now: Self.now)
                == .failure(.otherAudience("http://evil.example:8080")))
    }

    @Test(
        "malformed headers are refused before any HMAC",
        arguments: [
            "", "v1", "v1 n1 1800000000 http://10.0.0.2:8080", "v1 n1 soon http://10.0.0.2:8080 00",
            "v1 N1 1800000000 http://10.0.0.2:8080 " + String(repeating: "0", count: 64),
            "v1 n1 1800000000 http://10.0.0.2:8080 " + String(repeating: "g", count: 64),
            "v1 n1 1800000000 http://10.0.0.2:8080 " + String(repeating: "0", count: 62),
            "v1  n1 1800000000 http://10.0.0.2:8080 " + String(repeating: "0", count: 64),
            String(repeating: "v", count: 3000),
        ])
    func malformed(header: String) {
        #expect(NodeToken.verify(header, scope: Self.scope, secret: Self.secret, now: Self.now) == .failure(.malformed))
    }

    @Test("an unknown version is named")
    func version() {
        let header = "v2 n1 1800000000 http://10.0.0.2:8080 " + String(repeating: "0", count: 64)
        #expect(
            NodeToken.verify(header, scope: Self.scope, secret: Self.secret, now: Self.now) == .failure(.unknownVersion("v2")))
    }

    @Test("X-Dehub-Acting-For: the three forms, nothing else")
    func acting() {
        #expect(NodeActing(headerValue: "node") == .node)
        #expect(NodeActing(headerValue: "anonymous") == .anonymous)
        #expect(NodeActing(headerValue: "key ssh-ed25519 AAAA") == .key("ssh-ed25519 AAAA"))
        for bad in ["", "Node", "key ", "key a\nb", "admin"] { #expect(NodeActing(headerValue: bad) == nil, "\(bad)") }
        for acting in [NodeActing.node, .anonymous, .key("ssh-ed25519 AAAA")] {
            #expect(NodeActing(headerValue: acting.headerValue) == acting)
        }
    }
}

@Suite("Cluster secret: at least 32 bytes, from a file only its owner reads, never printed")
struct ClusterSecretTests {
    static func file(_ bytes: [UInt8], mode: Int) throws -> String {
        let path = NSTemporaryDirectory() + "dehub-secret-test-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: mode])
        return path
    }

    @Test("a good file loads; one trailing newline is not part of the secret; the secret never prints")
    func loads() throws {
        let bytes = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
        let path = try Self.file(bytes + [10], mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let secret = try ClusterSecret.load(path: path)
        #expect(secret == (try ClusterSecret(bytes: bytes)))
        #expect("\(secret)" == "<cluster secret>")
    }

    @Test("too open, missing, a directory, too short, one byte repeated: each refused with what to do")
    func refused() throws {
        let good = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
        let open = try Self.file(good, mode: 0o640)
        defer { try? FileManager.default.removeItem(atPath: open) }
        #expect(throws: ClusterSecretError.tooOpen(open, mode: 0o640)) { try ClusterSecret.load(path: open) }
        #expect(
            ClusterSecretError.tooOpen("/s", mode: 0o644).message
                == "the cluster secret file /s is readable by others (mode 0644); run chmod 600 /s")
        #expect(throws: ClusterSecretError.self) { try ClusterSecret.load(path: "/nonexistent/dehub-secret") }
        #expect(
            ClusterSecretError.unreadable("/x", "No such file or directory").message
                == "cannot read the cluster secret file /x: No such file or directory")
        #expect(throws: ClusterSecretError.notAFile("/tmp")) { try ClusterSecret.load(path: "/tmp") }
        let short = try Self.file(Array(good.prefix(31)) + [10], mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: short) }
        #expect(throws: ClusterSecretError.tooShort(31)) { try ClusterSecret.load(path: short) }
        #expect(
            ClusterSecretError.tooShort(31).message == "the cluster secret has 31 bytes; it needs at least 32 random bytes")
        #expect(throws: ClusterSecretError.notRandom) { try ClusterSecret(bytes: [UInt8](repeating: 65, count: 40)) }
    }
}
