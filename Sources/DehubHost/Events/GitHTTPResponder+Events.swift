import DehubCore
import Hummingbird
import NIOCore

/// `GET /NAME.git/dehub/events` and `GET /dehub/events?repo=A&repo=B`: the event stream as Server-Sent Events.
/// Read access is the fetch rules' (every repository must be readable, or the answer is the uniform refusal);
/// `Last-Event-ID` asks for a replay.
extension GitHTTPResponder {
    func events(_ rawNames: [String], request: Request, context: Context, identity: Identity) async -> Response {
        guard !rawNames.isEmpty else {
            return plain(.badRequest, "name a repository: GET /NAME.git/dehub/events or GET /dehub/events?repo=NAME")
        }
        guard rawNames.count <= RefEventSettings.maxReposPerWatch else {
            return plain(.badRequest, "at most \(RefEventSettings.maxReposPerWatch) repositories per connection")
        }
        var repos: [(name: String, path: String)] = []
        for rawName in rawNames {
            switch await services.gate.authorize(identity, rawName: rawName, service: .uploadPack, transport: .http) {
            case .failure(let denial): return deny(denial)
            case .success(let grant):
                if !repos.contains(where: { $0.name == grant.name.path }) { repos.append((grant.name.path, grant.path)) }
            }
        }
        let lastEventID = Self.header("last-event-id", in: request).flatMap { $0.utf8.count <= 64 ? $0 : nil }
        let subscription: RefSubscription
        switch await services.events.subscribe(repos: repos, lastEventID: lastEventID) {
        case .failure(let refusal):
            var response = plain(.serviceUnavailable, refusal.description)
            response.headers[.retryAfter] = "10"
            return response
        case .success(let taken): subscription = taken
        }
        let channel = context.channel
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                // Ended by the hub (dropped, shutting down): a writer stuck on a client that reads nothing is
                // freed by closing the connection.
                subscription.setOnEnd {
                    channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
                }
                defer { subscription.cancel() }
                while let first = await subscription.next() {
                    var text = Self.sse(first)
                    for item in subscription.available(limit: 256) { text += Self.sse(item) }
                    try await writer.write(ByteBuffer(string: text))
                }
                try await writer.finish(nil)
            })
    }

    static func sse(_ item: RefSubscription.Item) -> String {
        switch item {
        case .keepAlive: SSEEncoder.comment("keep-alive") + "\n"
        case .message(let message): RefStreamSSE.encode(message)
        }
    }
}
