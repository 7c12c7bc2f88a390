import DehubCluster
import Hummingbird

extension GitHTTPResponder {
    /// Whether the request comes from another node of the cluster (its `NodeToken` checked against this node, the
    /// repo and the service it asks for), from a client, or carries a node token that does not hold.
    func clusterCaller(_ request: Request, _ target: HTTPTarget) async -> ClusterCaller {
        let token = Self.header(NodeToken.header.lowercased(), in: request)
        let acting = Self.header(NodeToken.actingHeader.lowercased(), in: request)
        guard let cluster = services.cluster else {
            if token == nil, acting == nil { return .client }
            return .refused("this host is not a cluster node: it takes no cluster node tokens")
        }
        var repo: String?, service: String?
        switch target.route {
        case .advertisement(let rawName, let asked), .rpc(let rawName, let asked):
            guard let name = RepoName.validated(rawName) else {
                return token == nil && acting == nil ? .client : .refused("cluster node token refused: not a repository name")
            }
            repo = name.path
            service = asked.rawValue
        default:
            break
        }
        return await cluster.caller(token: token, acting: acting, repo: repo, service: service)
    }
}
