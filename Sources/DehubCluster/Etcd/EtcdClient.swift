import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Synchronization

/// A small etcd v3 client over its JSON gateway (`/v3/kv/*`, `/v3/lease/*`, `/v3/watch`; etcd 3.4 and later serve
/// `/v3/`). Every call has a deadline; it tries the endpoints in turn (starting with the last one that answered)
/// and throws `ClusterStoreError.unavailable` when none answered in time, so a store without quorum is a clear
/// refusal within a bounded time, never a hang.
public final class EtcdClient: Sendable {
    public let endpoints: EtcdEndpoints
    /// How long one call may take in all, over every endpoint tried.
    public let timeout: Duration
    let http: HTTPClient
    private let preferred = Mutex(0)

    public init(endpoints: EtcdEndpoints, timeout: Duration = .seconds(3), http: HTTPClient = .shared) {
        self.endpoints = endpoints
        self.timeout = timeout
        self.http = http
    }

    // MARK: - kv

    /// The key's value, or nil; and the store's revision.
    public func get(_ key: String) async throws -> (value: EtcdKeyValue?, revision: Int64) {
        let response: EtcdWire.RangeResponse = try await call(
            "/v3/kv/range", EtcdWire.RangeRequest(key: EtcdWire.base64(key)))
        return (try response.kvs?.first?.decoded(), try EtcdWire.int(response.header?.revision))
    }

    /// Every key starting with `prefix`, sorted by key; and the store's revision.
    public func list(prefix: String) async throws -> (values: [EtcdKeyValue], revision: Int64) {
        let response: EtcdWire.RangeResponse = try await call(
            "/v3/kv/range", EtcdWire.RangeRequest(key: EtcdWire.base64(prefix), range_end: EtcdWire.prefixEnd(prefix)))
        return (try (response.kvs ?? []).map { try $0.decoded() }, try EtcdWire.int(response.header?.revision))
    }

    @discardableResult
    public func put(_ key: String, _ value: String, lease: Int64? = nil) async throws -> Int64 {
        let response: EtcdWire.PutResponse = try await call(
            "/v3/kv/put",
            EtcdWire.PutRequest(key: EtcdWire.base64(key), value: EtcdWire.base64(value), lease: lease.map(String.init)))
        return try EtcdWire.int(response.header?.revision)
    }

    @discardableResult
    public func delete(_ key: String) async throws -> Int64 {
        let response: EtcdWire.DeleteRangeResponse = try await call(
            "/v3/kv/deleterange", EtcdWire.DeleteRangeRequest(key: EtcdWire.base64(key)))
        return try EtcdWire.int(response.header?.revision)
    }

    @discardableResult
    public func delete(prefix: String) async throws -> Int64 {
        let response: EtcdWire.DeleteRangeResponse = try await call(
            "/v3/kv/deleterange",
            EtcdWire.DeleteRangeRequest(key: EtcdWire.base64(prefix), range_end: EtcdWire.prefixEnd(prefix)))
        return try EtcdWire.int(response.header?.revision)
    }

    /// One atomic transaction: if every compare holds, `success` runs, else `failure`.
    public func txn(compare: [EtcdCompare], success: [EtcdOperation], failure: [EtcdOperation] = []) async throws
        -> EtcdTxnResult
    {
        let request = EtcdWire.TxnRequest(
            compare: compare.map(Self.wire), success: success.map(Self.wire), failure: failure.map(Self.wire))
        let response: EtcdWire.TxnResponse = try await call("/v3/kv/txn", request)
        let ranges = try (response.responses ?? []).compactMap { op in
            try op.response_range.map { try ($0.kvs ?? []).map { try $0.decoded() } }
        }
        return EtcdTxnResult(
            succeeded: response.succeeded ?? false, revision: try EtcdWire.int(response.header?.revision), ranges: ranges)
    }

    // MARK: - leases

    /// A new lease of `ttlSeconds`; its id.
    public func grantLease(ttlSeconds: Int) async throws -> Int64 {
        let response: EtcdWire.LeaseGrantResponse = try await call(
            "/v3/lease/grant", EtcdWire.LeaseGrantRequest(TTL: String(ttlSeconds)))
        if let error = response.error, !error.isEmpty { throw ClusterStoreError(.invalidResponse, error) }
        let id = try EtcdWire.int(response.ID)
        guard id != 0 else { throw ClusterStoreError(.invalidResponse, "lease grant without an id") }
        return id
    }

    /// Renews the lease; throws `leaseExpired` when etcd no longer knows it.
    public func keepAlive(lease: Int64) async throws {
        let response: EtcdWire.LeaseKeepAliveResponse = try await call(
            "/v3/lease/keepalive", EtcdWire.LeaseIDRequest(ID: String(lease)))
        guard try EtcdWire.int(response.result?.TTL) > 0 else {
            throw ClusterStoreError(.leaseExpired, "lease \(lease) is gone")
        }
    }

    /// Ends the lease at once: every key under it is deleted.
    public func revoke(lease: Int64) async throws {
        let _: EtcdWire.Empty = try await call("/v3/lease/revoke", EtcdWire.LeaseIDRequest(ID: String(lease)))
    }

    // MARK: - calls

    static func wire(_ compare: EtcdCompare) -> EtcdWire.Compare {
        switch compare {
        case .valueEquals(let key, let value):
            EtcdWire.Compare(target: "VALUE", key: EtcdWire.base64(key), value: EtcdWire.base64(value))
        case .modRevisionEquals(let key, let revision):
            EtcdWire.Compare(target: "MOD", key: EtcdWire.base64(key), mod_revision: String(revision))
        case .absent(let key):
            EtcdWire.Compare(target: "CREATE", key: EtcdWire.base64(key), create_revision: "0")
        }
    }

    static func wire(_ operation: EtcdOperation) -> EtcdWire.RequestOp {
        switch operation {
        case .put(let key, let value, let lease):
            EtcdWire.RequestOp(
                request_put: EtcdWire.PutRequest(
                    key: EtcdWire.base64(key), value: EtcdWire.base64(value), lease: lease.map(String.init)))
        case .delete(let key):
            EtcdWire.RequestOp(request_delete_range: EtcdWire.DeleteRangeRequest(key: EtcdWire.base64(key)))
        case .range(let key):
            EtcdWire.RequestOp(request_range: EtcdWire.RangeRequest(key: EtcdWire.base64(key)))
        case .rangePrefix(let prefix):
            EtcdWire.RequestOp(
                request_range: EtcdWire.RangeRequest(key: EtcdWire.base64(prefix), range_end: EtcdWire.prefixEnd(prefix)))
        }
    }

    /// POSTs `body` to `path`, trying each endpoint in turn within the call's deadline. An endpoint that does not
    /// answer, answers 5xx (no leader, no quorum, timed out) or cannot be reached is skipped; a 4xx is a bad
    /// request and thrown at once.
    func call<Request: Encodable, Response: Decodable>(_ path: String, _ body: Request) async throws -> Response {
        let bytes = try JSONEncoder().encode(body)
        let deadline = ContinuousClock.now + timeout
        let count = endpoints.urls.count
        let first = preferred.withLock { $0 }
        // Each endpoint gets a share of the time, so one that hangs leaves time for the others; a second pass
        // gives any time left to whichever answers (a new leader is being elected).
        let share = max(timeout / count, .milliseconds(500))
        var failures: [String] = []
        var attempt = 0
        while ContinuousClock.now < deadline, attempt < count * 2 {
            let index = (first + attempt) % count
            attempt += 1
            let url = endpoints.urls[index] + path
            let remaining = deadline - ContinuousClock.now
            let budget = attempt <= count ? min(share, remaining) : remaining
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bytes))
            do {
                let response = try await http.execute(request, timeout: .nanoseconds(Int64(budget.nanoseconds)))
                let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
                let data = Data(body.readableBytesView)
                if response.status.code == 200 {
                    preferred.withLock { $0 = index }
                    do {
                        return try JSONDecoder().decode(Response.self, from: data)
                    } catch {
                        throw ClusterStoreError(.invalidResponse, "\(path): \(error)")
                    }
                }
                let detail =
                    (try? JSONDecoder().decode(EtcdWire.ErrorBody.self, from: data))?.message ?? "HTTP \(response.status.code)"
                if (400..<500).contains(Int(response.status.code)) {
                    throw ClusterStoreError(.invalidResponse, "\(path): \(detail)")
                }
                failures.append("\(endpoints.urls[index]): \(detail)")
            } catch let error as ClusterStoreError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if Task.isCancelled { throw CancellationError() }
                failures.append("\(endpoints.urls[index]): \(Self.describe(error))")
            }
        }
        throw ClusterStoreError.unavailable(failures.isEmpty ? "no answer within \(timeout)" : failures.joined(separator: "; "))
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout { return "no answer in time" }
            return "\(error)"
        }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return text
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
