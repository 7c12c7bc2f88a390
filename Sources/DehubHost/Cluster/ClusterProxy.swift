import AsyncHTTPClient
import DehubCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Forwards a smart-HTTP git request to another node of the cluster (one whose copy of the repo is in step), and
/// streams its answer back: gitmesh's routing front, inside every node. The forwarded request carries this node's
/// token (`NodeToken`, scoped to the target, the repo, the service and the client) and the client's identity as
/// this node established it (`X-Dehub-Acting-For`), never the client's own credentials: the node it reaches applies
/// that client's access rules, serves the request itself and never forwards it again.
enum ClusterProxy {
    static let proxiedHeader = "X-Dehub-Proxied"
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "host",
        "content-length",
        // The client's credentials stay here, and no client header may pose as a node's.
        "authorization", "x-dehub-proxied", "x-dehub-node-token", "x-dehub-acting-for",
    ]

    static func forward(_ request: Request, to base: String, headers extra: [(String, String)], logger: Logger) async
        -> Response
    {
        var url = base + request.uri.path
        if let query = request.uri.query, !query.isEmpty { url += "?" + query }
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = .RAW(value: request.method.rawValue)
        for field in request.headers where !hopByHop.contains(field.name.canonicalName) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        guard !extra.isEmpty else {
            return plain(.serviceUnavailable, "this cluster node has no cluster secret and cannot proxy")
        }
        for (name, value) in extra { outgoing.headers.replaceOrAdd(name: name, value: value) }
        if request.method == .post {
            let length = request.headers[.contentLength].flatMap(Int64.init)
            outgoing.body = .stream(request.body, length: length.map { .known($0) } ?? .unknown)
        }
        let response: HTTPClientResponse
        do {
            response = try await ClusterHTTPClient.shared.execute(outgoing, deadline: .now() + .hours(6))
        } catch {
            logger.warning("cluster proxy", metadata: ["to": "\(base)", "error": "\(error)"])
            return plain(.badGateway, "the cluster node holding this repository did not answer; try again")
        }
        var headers = HTTPFields()
        for header in response.headers where !hopByHop.contains(header.name.lowercased()) {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        let body = response.body
        return Response(
            status: HTTPResponse.Status(code: Int(response.status.code)), headers: headers,
            body: ResponseBody { writer in
                for try await chunk in body { try await writer.write(chunk) }
                try await writer.finish(nil)
            })
    }

    static func plain(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}

/// A push that git ended early because the cluster refused its refs: the HTTP response is cut, not finished.
struct ClusterPushAborted: Error, CustomStringConvertible {
    let status: Int32
    var description: String { "git receive-pack exited \(status): the cluster refused the ref update" }

    /// git runs the `reference-transaction` hook without relaying its messages to an HTTP client: the host sends
    /// the refusal itself, as a side-band message (`remote: dehub: push refused: ...`), before cutting the response.
    static func tell(_ environment: [String: String], cluster: ClusterNode, writer: inout any ResponseBodyWriter) async throws {
        guard let push = environment[ClusterRefRequest.pushVariable], let message = await cluster.refusal(push: push) else {
            return
        }
        let payload = [UInt8(2)] + Array("dehub: push refused: \(message)\n".utf8.prefix(60_000))
        let length = String(payload.count + 4, radix: 16)
        let header = Array((String(repeating: "0", count: 4 - length.count) + length).utf8)
        try await writer.write(ByteBuffer(bytes: header + payload))
    }
}
