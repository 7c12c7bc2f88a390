import DehubCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The Unix socket (`DATA/cluster.sock`, mode 0600) where the `reference-transaction` hook hands a push's prepared
/// ref updates to this node (`ClusterRefRequest`), which commits them to the store and answers (`ClusterRefAnswer`).
/// A service of the host's lifecycle. One request a connection; a request that does not arrive whole within
/// 10 s, or is too large, is refused.
struct ClusterRefSocket: Service {
    let node: ClusterNode
    let path: String
    let logger: Logger

    func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        guard chmod(path, 0o600) == 0 else { throw HostError(.io, "cannot make \(path) private") }
        defer { unlink(path) }
        // At shutdown the socket closes: a push whose refs are not committed yet is refused (the hook cannot reach
        // the node), never half-done.
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await self.serve(connection) }
                        }
                    }
                }
            }
        } catch is CancellationError {
            // The host is stopping.
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        try? await connection.executeThenClose { inbound, outbound in
            let answer: ClusterRefAnswer
            switch await Self.readRequest(inbound) {
            case .success(let request): answer = await node.commit(request)
            case .failure(let problem): answer = .refused("the cluster node could not read the hook's request: \(problem)")
            }
            try await outbound.write(ByteBuffer(string: answer.encoded))
        }
    }

    static func readRequest(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>) async -> Result<
        ClusterRefRequest, ClusterRefRequest.Problem
    > {
        await withTaskGroup(of: Result<ClusterRefRequest, ClusterRefRequest.Problem>?.self) { group in
            group.addTask {
                var text: [UInt8] = []
                do {
                    for try await chunk in inbound {
                        text += chunk.readableBytesView
                        guard text.count <= ClusterRefRequest.maxBytes else { return .failure(.tooLarge) }
                        if text.count >= 4, text.suffix(4) == Array("end\n".utf8) {
                            let decoded = Result { () throws(ClusterRefRequest.Problem) in
                                try ClusterRefRequest.decode(String(decoding: text, as: UTF8.self))
                            }
                            if case .failure(.incomplete) = decoded { continue }
                            return decoded
                        }
                    }
                } catch {
                    return .failure(.incomplete)
                }
                return .failure(.incomplete)
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(10))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(.incomplete)
        }
    }
}
