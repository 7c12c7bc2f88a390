import Hummingbird
import NIOCore

extension GitHTTPResponder {
    /// `GET /.well-known/dehub/repos.json`.
    func directory() async -> Response {
        let directory = await RepoDirectory.build(store: services.gate.store, urls: services.urls)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-cache, max-age=0"
        guard let body = try? directory.json() else {
            return Response(status: .internalServerError, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A clone of a repository this host does not hold, which a peer lists: `302` to the same request at the peer
    /// (git follows a redirect of its first request and then talks to the peer). Only reads, only without the
    /// `/auth` prefix, and never for a repository that exists here: a private repository is answered as before,
    /// never sent elsewhere, and peers list public repositories only.
    func peerRedirect(rawName: String, service: GitService) async -> Response? {
        guard !service.isPush, let name = RepoName.validated(rawName), !services.gate.store.exists(name),
            let peer = await services.peers.peer(holding: name)
        else { return nil }
        var headers = HTTPFields()
        headers[.location] = peer + "/" + name.directoryPath + "/info/refs?service=" + service.rawValue
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(
            status: .found, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: "\(name) is served by \(peer)\n")))
    }
}
