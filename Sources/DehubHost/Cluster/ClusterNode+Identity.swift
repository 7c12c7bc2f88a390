import DehubCluster
import Foundation

/// Who a git request over HTTP comes from, as far as the cluster is concerned.
enum ClusterCaller: Equatable, Sendable {
    /// No node token: a client's own request (its credentials, if any, decide).
    case client
    /// Another node of the cluster, whose token verified: the identity the request runs as (the client it proxies,
    /// or `.clusterNode` when it replicates). Never proxied again.
    case node(Identity, from: String)
    /// A node token (or its companion header) that does not hold: refused with this message.
    case refused(String)
}

/// The node identity (docs/cluster.md, "Node identity"): requests from node to node carry a `NodeToken` under the
/// shared cluster secret, scoped to the target node, the repo, the git service and the client it acts for.
extension ClusterNode {
    /// The headers that make a request to the node at `url` one of this node's, acting for `acting`.
    nonisolated func tokenHeaders(to url: String, repo: String, service: String, acting: NodeActing, now: Date = Date())
        -> [(String, String)]
    {
        guard let secret = settings.secret else { return [] }
        let scope = NodeTokenScope(audience: url, repo: repo, service: service, acting: acting)
        let token = NodeToken.issue(secret: secret, from: settings.nodeID, scope: scope, now: Int64(now.timeIntervalSince1970))
        return [(NodeToken.header, token), (NodeToken.actingHeader, acting.headerValue)]
    }

    /// git's environment for a fetch from the node at `url`: the token headers as `http.extraHeader` values, given
    /// through the environment (`GIT_CONFIG_COUNT`) so they never show on a command line.
    nonisolated func fetchEnvironment(from url: String, repo: String) -> [String: String] {
        let headers = tokenHeaders(to: url, repo: repo, service: GitService.uploadPack.rawValue, acting: .node)
        var environment = ["GIT_CONFIG_COUNT": String(headers.count)]
        for (i, header) in headers.enumerated() {
            environment["GIT_CONFIG_KEY_\(i)"] = "http.extraHeader"
            environment["GIT_CONFIG_VALUE_\(i)"] = "\(header.0): \(header.1)"
        }
        return environment
    }

    /// Checks a request's node token. `repo` and `service` are what the request asks for (nil: not a git request).
    func caller(token: String?, acting: String?, repo: String?, service: String?, now: Date = Date()) -> ClusterCaller {
        guard let token else {
            return acting == nil ? .client : .refused("\(NodeToken.actingHeader) without a cluster node token is refused")
        }
        guard let secret = settings.secret else { return .refused("this node has no cluster secret: it takes no node tokens") }
        guard let repo, let service else { return .refused("a cluster node token is taken only on git requests") }
        guard let actingText = acting, let actingFor = NodeActing(headerValue: actingText) else {
            return .refused("cluster node token refused: \(NodeToken.actingHeader) is missing or malformed")
        }
        let identity: Identity
        switch actingFor {
        case .node: identity = .anonymous
        case .anonymous: identity = .anonymous
        case .key(let line):
            guard let key = SSHKeyIdentity(openSSHLine: line) else {
                return .refused("cluster node token refused: \(NodeToken.actingHeader) holds no valid SSH key")
            }
            identity = .key(key)
        }
        let scope = NodeTokenScope(audience: advertise, repo: repo, service: service, acting: actingFor)
        switch NodeToken.verify(token, scope: scope, secret: secret, now: Int64(now.timeIntervalSince1970)) {
        case .success(let node):
            if actingFor == .node { return .node(.clusterNode(node), from: node) }
            return .node(identity, from: node)
        case .failure(let error):
            logger.warning("cluster: node token refused", metadata: ["repo": "\(repo)", "reason": "\(error.message)"])
            return .refused(error.message)
        }
    }
}

extension NodeActing {
    /// The client a proxied request acts for.
    init(_ identity: Identity) {
        switch identity {
        case .anonymous: self = .anonymous
        case .key(let key): self = .key(key.openSSHLine)
        case .clusterNode: self = .node
        }
    }
}
