import Foundation

/// The JSON of etcd's v3 gateway (grpc-gateway): keys and values in base64, 64-bit integers as strings,
/// fields left out when they hold their zero value (a failed txn has no `succeeded`, a PUT event no `type`).
enum EtcdWire {
    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func text(_ base64: String?) throws -> String {
        guard let base64 else { return "" }
        guard let data = Data(base64Encoded: base64) else {
            throw ClusterStoreError(.invalidResponse, "a key or value is not base64")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func int(_ text: String?) throws -> Int64 {
        guard let text else { return 0 }
        guard let value = Int64(text) else { throw ClusterStoreError(.invalidResponse, "\(text) is not a number") }
        return value
    }

    /// The end of the range of every key starting with `prefix`: the prefix with its last byte plus one.
    static func prefixEnd(_ prefix: String) -> String {
        var bytes = Array(prefix.utf8)
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return Data(bytes).base64EncodedString()
            }
            bytes.removeLast()
        }
        return Data([0]).base64EncodedString()  // every key
    }

    struct Header: Decodable {
        var revision: String?
    }

    struct KeyValue: Decodable {
        var key: String?
        var value: String?
        var create_revision: String?
        var mod_revision: String?
        var version: String?
        var lease: String?

        func decoded() throws -> EtcdKeyValue {
            EtcdKeyValue(
                key: try EtcdWire.text(key), value: try EtcdWire.text(value),
                createRevision: try EtcdWire.int(create_revision), modRevision: try EtcdWire.int(mod_revision),
                version: try EtcdWire.int(version), lease: try EtcdWire.int(lease))
        }
    }

    struct RangeRequest: Encodable {
        var key: String
        var range_end: String?
        var serializable: Bool?
    }

    struct RangeResponse: Decodable {
        var header: Header?
        var kvs: [KeyValue]?
    }

    struct PutRequest: Encodable {
        var key: String
        var value: String
        var lease: String?
    }

    struct PutResponse: Decodable {
        var header: Header?
    }

    struct DeleteRangeRequest: Encodable {
        var key: String
        var range_end: String?
    }

    struct DeleteRangeResponse: Decodable {
        var header: Header?
        var deleted: String?
    }

    struct Compare: Encodable {
        var result = "EQUAL"
        var target: String
        var key: String
        var value: String?
        var mod_revision: String?
        var create_revision: String?
    }

    struct RequestOp: Encodable {
        var request_range: RangeRequest?
        var request_put: PutRequest?
        var request_delete_range: DeleteRangeRequest?
    }

    struct TxnRequest: Encodable {
        var compare: [Compare]
        var success: [RequestOp]
        var failure: [RequestOp]
    }

    struct ResponseOp: Decodable {
        var response_range: RangeResponse?
    }

    struct TxnResponse: Decodable {
        var header: Header?
        var succeeded: Bool?
        var responses: [ResponseOp]?
    }

    struct LeaseGrantRequest: Encodable {
        var TTL: String
    }

    struct LeaseGrantResponse: Decodable {
        var ID: String?
        var TTL: String?
        var error: String?
    }

    struct LeaseIDRequest: Encodable {
        var ID: String
    }

    struct LeaseKeepAliveResponse: Decodable {
        struct Result: Decodable {
            var ID: String?
            var TTL: String?
        }
        var result: Result?
    }

    struct Empty: Decodable {}

    struct WatchCreate: Encodable {
        struct Create: Encodable {
            var key: String
            var range_end: String?
            var start_revision: String?
        }
        var create_request: Create
    }

    struct WatchMessage: Decodable {
        struct Event: Decodable {
            var type: String?
            var kv: KeyValue?
        }
        struct Result: Decodable {
            var header: Header?
            var created: Bool?
            var canceled: Bool?
            var compact_revision: String?
            var cancel_reason: String?
            var events: [Event]?
        }
        struct Failure: Decodable {
            var message: String?
        }
        var result: Result?
        var error: Failure?
    }

    /// The error body of a non-200 answer: `{"error": "...", "code": 14, "message": "..."}`.
    struct ErrorBody: Decodable {
        var error: String?
        var code: Int?
        var message: String?
    }
}
