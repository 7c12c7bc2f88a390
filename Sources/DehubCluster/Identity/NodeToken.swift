/// On whose behalf one node asks another: for itself (replication reads) or for the client whose request it
/// proxies, so that the node serving it applies that client's own access rules. Sent in `X-Dehub-Acting-For` and
/// covered by the token's HMAC.
public enum NodeActing: Equatable, Hashable, Sendable {
    /// The node itself, replicating: it may read any repo, never push.
    case node
    /// An anonymous client.
    case anonymous
    /// A client authenticated by the proxying node, by its SSH key (`ALGORITHM BASE64`).
    case key(String)

    /// The header's value.
    public var headerValue: String {
        switch self {
        case .node: "node"
        case .anonymous: "anonymous"
        case .key(let line): "key " + line
        }
    }

    /// Parses the header's value (nil: not one of the three forms).
    public init?(headerValue: String) {
        switch headerValue {
        case "node": self = .node
        case "anonymous": self = .anonymous
        default:
            guard headerValue.hasPrefix("key "), headerValue.utf8.count <= 16 * 1024 else { return nil }
            let line = String(headerValue.dropFirst(4))
            guard !line.isEmpty, !line.contains(where: { $0.isNewline }) else { return nil }
            self = .key(line)
        }
    }
}

/// What a node token vouches for besides who signed it and when: the node it is for (its advertise URL, as the
/// signer found it in the store), the repo, the git service, and on whose behalf. A token taken from one request
/// cannot be replayed against another node, repo, service or user, and stops working after `NodeToken.window`.
public struct NodeTokenScope: Equatable, Sendable {
    public var audience: String
    public var repo: String
    public var service: String
    public var acting: NodeActing

    public init(audience: String, repo: String, service: String, acting: NodeActing) {
        self.audience = audience
        self.repo = repo
        self.service = service
        self.acting = acting
    }
}

/// A time-limited HMAC token by which one node of a cluster proves to another that it holds the cluster secret
/// (the scheme of Gitaly's v2 tokens, with the request's scope inside the MAC). Header `X-Dehub-Node-Token:
/// v1 NODE UNIXTIME AUDIENCE HMAC`, where HMAC is HMAC-SHA256 (hex) over the version, node, time and the whole
/// `NodeTokenScope`. Accepted within ±60 s of the verifier's clock, compared in constant time.
public enum NodeToken {
    public static let header = "X-Dehub-Node-Token"
    public static let actingHeader = "X-Dehub-Acting-For"
    /// How far the issue time may be from the verifier's clock, either way.
    public static let windowSeconds: Int64 = 60

    /// The header value for a request from `node` within `scope`, issued at `now` (Unix seconds).
    public static func issue(secret: ClusterSecret, from node: String, scope: NodeTokenScope, now: Int64) -> String {
        let mac = secret.mac(message(from: node, issuedAt: now, scope: scope))
        return "v1 \(node) \(now) \(scope.audience) \(hex(mac))"
    }

    /// Checks `headerValue` against this node's scope (its own advertise URL as the audience); the signing node's
    /// id when it holds.
    public static func verify(
        _ headerValue: String, scope: NodeTokenScope, secret: ClusterSecret, now: Int64
    ) -> Result<String, NodeTokenError> {
        guard headerValue.utf8.count <= 2048 else { return .failure(.malformed) }
        let fields = headerValue.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 5 else { return .failure(.malformed) }
        guard fields[0] == "v1" else { return .failure(.unknownVersion(String(fields[0].prefix(16)))) }
        let node = fields[1], audience = fields[3]
        guard isNodeID(node), let issued = Int64(fields[2]), let mac = unhex(fields[4]), mac.count == 32 else {
            return .failure(.malformed)
        }
        guard audience == scope.audience else { return .failure(.otherAudience(String(audience.prefix(200)))) }
        let age = now - issued
        guard age <= windowSeconds else { return .failure(.expired(ageSeconds: age)) }
        guard -age <= windowSeconds else { return .failure(.fromTheFuture(seconds: -age)) }
        let expected = secret.mac(message(from: node, issuedAt: issued, scope: scope))
        guard constantTimeEqual(expected, mac) else { return .failure(.badSignature) }
        return .success(node)
    }

    /// The bytes under the MAC: every field on its own line, so no field can run into the next.
    static func message(from node: String, issuedAt: Int64, scope: NodeTokenScope) -> String {
        [
            "dehub-node-token v1", node, String(issuedAt), scope.audience, scope.repo, scope.service,
            scope.acting.headerValue,
        ].joined(separator: "\n") + "\n"
    }

    static func isNodeID(_ text: String) -> Bool {
        ClusterKeys.isValidNodeID(text)
    }

    /// Compares in time independent of where the bytes differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unhex(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let high = value(chars[i]), let low = value(chars[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}

/// Why a node token was refused: the text the requesting node (and its log) sees.
public enum NodeTokenError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed
    case unknownVersion(String)
    case otherAudience(String)
    case expired(ageSeconds: Int64)
    case fromTheFuture(seconds: Int64)
    case badSignature

    public var message: String {
        switch self {
        case .malformed:
            "cluster node token refused: malformed (expected 'v1 NODE UNIXTIME AUDIENCE HMAC')"
        case .unknownVersion(let version):
            "cluster node token refused: unknown version '\(version)' (this node speaks v1)"
        case .otherAudience(let audience):
            "cluster node token refused: it is for \(audience), not for this node (is the node's advertise URL in the store right?)"
        case .expired(let age):
            "cluster node token refused: expired (issued \(age) s ago; tokens last \(NodeToken.windowSeconds) s; check the nodes' clocks)"
        case .fromTheFuture(let seconds):
            "cluster node token refused: issued \(seconds) s in the future (more than \(NodeToken.windowSeconds) s; check the nodes' clocks)"
        case .badSignature:
            "cluster node token refused: its HMAC does not match this node's cluster secret (forged, or another cluster's secret)"
        }
    }

    public var description: String { message }
}
