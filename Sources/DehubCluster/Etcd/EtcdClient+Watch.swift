import AsyncHTTPClient
import Foundation
import NIOCore

extension EtcdClient {
    /// Every change to keys starting with `prefix` from `startRevision` on (0: from now), as etcd batches them.
    /// The stream ends with `ClusterStoreError.compacted` when that history is gone, and with `unavailable`
    /// when the connection drops or no endpoint takes the watch: callers catch up from a snapshot and watch again.
    public func watch(prefix: String, startRevision: Int64) -> AsyncThrowingStream<EtcdWatchBatch, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: EtcdWatchBatch.self)
        let task = Task {
            do {
                try await self.runWatch(prefix: prefix, startRevision: startRevision, continuation: continuation)
                continuation.finish(throwing: ClusterStoreError.unavailable("the watch stream ended"))
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func runWatch(
        prefix: String, startRevision: Int64, continuation: AsyncThrowingStream<EtcdWatchBatch, any Error>.Continuation
    ) async throws {
        let body = try JSONEncoder().encode(
            EtcdWire.WatchCreate(
                create_request: .init(
                    key: EtcdWire.base64(prefix), range_end: EtcdWire.prefixEnd(prefix),
                    start_revision: startRevision > 0 ? String(startRevision) : nil)))
        var failures: [String] = []
        for url in endpoints.urls {
            var request = HTTPClientRequest(url: url + "/v3/watch")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
            let response: HTTPClientResponse
            do {
                // The head must come in time; the body is the open-ended stream of changes.
                response = try await http.execute(request, deadline: .distantFuture)
            } catch {
                if Task.isCancelled { throw CancellationError() }
                failures.append("\(url): \(Self.describe(error))")
                continue
            }
            guard response.status.code == 200 else {
                failures.append("\(url): HTTP \(response.status.code)")
                continue
            }
            var pending: [UInt8] = []
            for try await chunk in response.body {
                pending += chunk.readableBytesView
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = Array(pending[..<newline])
                    pending.removeSubrange(...newline)
                    if let batch = try Self.decodeWatchLine(line) { continuation.yield(batch) }
                }
            }
            if !pending.isEmpty, let batch = try Self.decodeWatchLine(pending) { continuation.yield(batch) }
            throw ClusterStoreError.unavailable("the watch on \(url) ended")
        }
        throw ClusterStoreError.unavailable(failures.joined(separator: "; "))
    }

    /// One line of the watch stream: a batch of events, nil for a message without events (created, progress),
    /// or a thrown `compacted` / `unavailable` when etcd cancelled the watch.
    static func decodeWatchLine(_ line: [UInt8]) throws -> EtcdWatchBatch? {
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { return nil }
        let message: EtcdWire.WatchMessage
        do {
            message = try JSONDecoder().decode(EtcdWire.WatchMessage.self, from: Data(line))
        } catch {
            throw ClusterStoreError(.invalidResponse, "a watch message: \(error)")
        }
        if let error = message.error {
            throw ClusterStoreError.unavailable("the watch failed: \(error.message ?? "no reason given")")
        }
        guard let result = message.result else { return nil }
        if result.canceled == true {
            let compacted = try EtcdWire.int(result.compact_revision)
            if compacted > 0 { throw ClusterStoreError(.compacted(revision: compacted), "watch cancelled") }
            throw ClusterStoreError.unavailable("the watch was cancelled: \(result.cancel_reason ?? "no reason given")")
        }
        let events = try (result.events ?? []).map { event -> EtcdWatchBatch.Event in
            let kv = try (event.kv ?? EtcdWire.KeyValue()).decoded()
            return EtcdWatchBatch.Event(
                kind: event.type == "DELETE" ? .delete : .put, key: kv.key, value: kv.value, modRevision: kv.modRevision)
        }
        guard !events.isEmpty else { return nil }
        return EtcdWatchBatch(revision: try EtcdWire.int(result.header?.revision), events: events)
    }
}
