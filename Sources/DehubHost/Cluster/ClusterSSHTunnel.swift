import AsyncHTTPClient
import DehubCluster
import Logging
import NIOCore

/// An SSH git session for a repo this node does not serve in step, carried to a replica that does: gitmesh's
/// routing front for SSH. The session's stdin goes out as the body of one streaming request to the replica's
/// tunnel endpoint (`ClusterTunnelTarget`), under a node token that names the client this node authenticated; the
/// replica decides access with that client's rules and runs git with every bound of a local session; its stdout,
/// stderr and exit status come back as frames. While the client's stdin is idle, a keep-alive frame goes every
/// 15 s, so the replica's body timeout sees a live peer (git's own idle timeout still counts only git's bytes).
enum ClusterSSHTunnel {
    static let keepAliveInterval = Duration.seconds(15)

    static func run(
        to base: String, name: RepoName, service: GitService, identity: Identity, gitProtocol: String?,
        input: SSHInbound.Bytes, output: SSHSessionOutput, cluster: ClusterNode, logger: Logger
    ) async -> Int32 {
        let target = ClusterTunnelTarget(service: service, rawName: name.path)
        var request = HTTPClientRequest(url: base + target.path)
        request.method = .POST
        let headers = cluster.tokenHeaders(
            to: base, repo: name.path, service: target.scopeService, acting: NodeActing(identity))
        guard !headers.isEmpty else {
            await output.finish(status: 1, stderr: "dehub-host: this cluster node has no cluster secret and cannot proxy\n")
            return 1
        }
        for (field, value) in headers { request.headers.add(name: field, value: value) }
        if let gitProtocol, GitProtocolHeader.isValid(gitProtocol) {
            request.headers.add(name: "Git-Protocol", value: gitProtocol)
        }
        request.headers.add(name: "Content-Type", value: "application/x-dehub-ssh-tunnel")
        request.body = .stream(TunnelRequestBody(input: input), length: .unknown)
        // An empty chunk in the client's input stands for "idle": it goes out as a keep-alive frame.
        let inbound = input.inbound
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: keepAliveInterval)
                inbound.received([])
            }
        }
        defer { ticker.cancel() }
        do {
            let response = try await ClusterHTTPClient.shared.execute(request, deadline: .now() + .hours(6))
            guard response.status == .ok else {
                let body = (try? await response.body.collect(upTo: 64 * 1024)).map { String(buffer: $0) } ?? ""
                let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
                await output.finish(
                    status: 1,
                    stderr:
                        "dehub-host: \(text.isEmpty ? "the cluster node holding this repository refused the session (HTTP \(response.status.code))" : text)\n"
                )
                return 1
            }
            var decoder = TunnelFrameDecoder()
            var status: Int32?
            for try await chunk in response.body {
                for frame in try decoder.feed(chunk.readableBytesView) {
                    switch frame {
                    case .data(let bytes): try await output.write(bytes)
                    case .stderr(let bytes): try await output.write(bytes, stderr: true)
                    case .exit(let code): status = code
                    case .keepalive: break
                    }
                }
            }
            try decoder.finish()
            guard let status else { throw TunnelFrameError.truncated(0) }
            await output.finish(status: status)
            return status
        } catch {
            logger.warning("cluster ssh tunnel", metadata: ["to": "\(base)", "repo": "\(name)", "error": "\(error)"])
            await output.finish(
                status: 1, stderr: "dehub-host: the cluster node holding this repository did not finish the session; try again\n")
            return 1
        }
    }
}

/// The session's stdin as the tunnel's request body: data frames, and a keep-alive frame for each empty chunk.
struct TunnelRequestBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let input: SSHInbound.Bytes

    func makeAsyncIterator() -> Iterator { Iterator(base: input.makeAsyncIterator()) }

    struct Iterator: AsyncIteratorProtocol {
        var base: SSHInbound.Bytes.Iterator

        mutating func next() async -> ByteBuffer? {
            guard let chunk = await base.next() else { return nil }
            return ByteBuffer(bytes: chunk.isEmpty ? TunnelFrame.keepalive.encoded : TunnelFrame.data(chunked: chunk))
        }
    }
}
