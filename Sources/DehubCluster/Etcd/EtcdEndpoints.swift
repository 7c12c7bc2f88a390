import Foundation

/// The client URLs of an etcd cluster, as given to `--cluster-etcd`: `http://HOST:PORT[,http://HOST:PORT...]`.
public struct EtcdEndpoints: Equatable, Sendable {
    public let urls: [String]

    public init(urls: [String]) { self.urls = urls }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case notHTTP(String)
        case tooMany

        public var description: String {
            switch self {
            case .empty: "give at least one etcd client URL (http://HOST:PORT)"
            case .notHTTP(let url): "\(url) is not an etcd client URL of the form http://HOST:PORT"
            case .tooMany: "at most 16 etcd client URLs"
            }
        }
    }

    /// Parses a comma-separated list. Only plain `http://HOST:PORT` URLs without a path (etcd's client port).
    public static func parse(_ text: String) -> Result<EtcdEndpoints, Problem> {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return .failure(.empty) }
        guard parts.count <= 16 else { return .failure(.tooMany) }
        var urls: [String] = []
        for part in parts {
            var url = part
            while url.hasSuffix("/") { url.removeLast() }
            guard url.hasPrefix("http://") else { return .failure(.notHTTP(part)) }
            let authority = url.dropFirst("http://".count)
            guard let colon = authority.lastIndex(of: ":"), !authority[..<colon].isEmpty,
                let port = Int(authority[authority.index(after: colon)...]), port > 0, port < 65536,
                !authority.contains("/"), !authority.contains("@"), !authority.contains("?")
            else { return .failure(.notHTTP(part)) }
            urls.append(url)
        }
        return .success(EtcdEndpoints(urls: urls))
    }
}
