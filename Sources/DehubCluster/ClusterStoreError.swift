/// A failure of the cluster store, with the message a pusher or an admin sees.
public struct ClusterStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No etcd member answered in time, or none has a quorum: writes are refused, reads go on.
        case unavailable
        /// A watch asked for history that etcd has compacted away: catch up from a snapshot.
        case compacted(revision: Int64)
        /// The lease of this node's registration has expired (the node was cut off too long).
        case leaseExpired
        /// etcd answered something this client does not understand, or refused a request as invalid.
        case invalidResponse
    }

    public let kind: Kind
    public let detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public static func unavailable(_ detail: String) -> ClusterStoreError { ClusterStoreError(.unavailable, detail) }

    public var message: String {
        switch kind {
        case .unavailable: "cluster store unavailable (\(detail))"
        case .compacted(let revision): "the cluster store's history before revision \(revision) was compacted"
        case .leaseExpired: "this node's cluster registration expired (\(detail))"
        case .invalidResponse: "the cluster store gave an unexpected answer (\(detail))"
        }
    }

    public var description: String { message }
}
