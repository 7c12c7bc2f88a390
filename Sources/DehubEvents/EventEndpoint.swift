import DehubCore

/// Where a remote's event stream is, from its git URL: over HTTP(S), `URL/dehub/events` (credentials in the URL
/// are sent as Basic auth, never on a command line); over SSH, `ssh [-p PORT] [USER@]HOST watch PATH`.
public enum EventEndpoint: Equatable, Sendable {
    case http(url: String, user: String?, password: String?)
    case ssh(destination: String, port: Int?, repo: String)

    /// `http(s)://[USER[:PASSWORD]@]HOST[:PORT]/PATH`, `ssh://[USER@]HOST[:PORT]/PATH`, or `[USER@]HOST:PATH`.
    public static func parse(remoteURL url: String) -> Result<EventEndpoint, EventEndpointError> {
        guard !url.isEmpty, url.utf8.count <= 2048, url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f })
        else { return .failure(.unsupported(url)) }
        for scheme in ["http://", "https://"] where url.hasPrefix(scheme) {
            let rest = url.dropFirst(scheme.count)
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            var path = rest[authorityEnd...]
            if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
            var user: String?
            var password: String?
            if let at = authority.lastIndex(of: "@") {
                let info = authority[..<at]
                authority = authority[authority.index(after: at)...]
                if let colon = info.firstIndex(of: ":") {
                    user = percentDecoded(info[..<colon])
                    password = percentDecoded(info[info.index(after: colon)...])
                } else {
                    user = percentDecoded(info)
                }
            }
            guard !authority.isEmpty else { return .failure(.unsupported(url)) }
            while path.hasSuffix("/") { path = path.dropLast() }
            guard !path.isEmpty else { return .failure(.noRepository(url)) }
            return .success(.http(url: scheme + authority + path + "/dehub/events", user: user, password: password))
        }
        if url.hasPrefix("ssh://") || url.hasPrefix("git+ssh://") || url.hasPrefix("ssh+git://") {
            let rest = url.drop(while: { $0 != ":" }).dropFirst(3)
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            var host = rest[..<authorityEnd]
            let path = rest[authorityEnd...].drop(while: { $0 == "/" })
            var port: Int?
            if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
                guard let number = Int(host[host.index(after: colon)...]), (1...65535).contains(number) else {
                    return .failure(.unsupported(url))
                }
                port = number
                host = host[..<colon]
            }
            return ssh(String(host), port: port, path: String(path), url: url)
        }
        if !url.contains("://"), let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/") {
            return ssh(String(url[..<colon]), port: nil, path: String(url[url.index(after: colon)...]), url: url)
        }
        return .failure(.unsupported(url))
    }

    private static func ssh(_ destination: String, port: Int?, path: String, url: String) -> Result<
        EventEndpoint, EventEndpointError
    > {
        // A destination starting with `-` would be an option to ssh.
        guard !destination.isEmpty, !destination.hasPrefix("-") else { return .failure(.unsupported(url)) }
        var repo = Substring(path)
        while repo.hasSuffix("/") { repo = repo.dropLast() }
        guard !repo.isEmpty, !repo.hasPrefix("~"), !repo.contains("'"), !repo.hasPrefix("-") else {
            return .failure(.noRepository(url))
        }
        return .success(.ssh(destination: destination, port: port, repo: String(repo)))
    }

    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2, let hi = hexValue(utf8[utf8.startIndex]),
                let lo = hexValue(utf8[utf8.startIndex + 1])
            {
                bytes.append(hi << 4 | lo)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

public enum EventEndpointError: Error, Equatable, Sendable, CustomStringConvertible {
    case unsupported(String)
    case noRepository(String)

    public var description: String {
        switch self {
        case .unsupported: "the URL is not an http(s) or ssh URL a dehub host serves"
        case .noRepository: "the URL names no repository"
        }
    }
}
