import Synchronization

/// How clients reach the host, for the URLs it prints.
public struct CloneURLs: Sendable, Equatable {
    public var sshBase: String
    public var httpBase: String

    public init(sshBase: String, httpBase: String) {
        self.sshBase = sshBase.hasSuffix("/") ? String(sshBase.dropLast()) : sshBase
        self.httpBase = httpBase.hasSuffix("/") ? String(httpBase.dropLast()) : httpBase
    }

    /// From the config when set, else from the listen addresses.
    public init(config: HostConfig, sshAddress: HostAddress?, httpAddress: HostAddress?) {
        self.init(
            sshBase: config.sshURLBase.isEmpty
                ? sshAddress.map { "ssh://git@\($0.urlHost):\($0.port)" } ?? "" : config.sshURLBase,
            httpBase: config.httpURLBase.isEmpty
                ? httpAddress.map { "http://\($0.urlHost):\($0.port)" } ?? "" : config.httpURLBase)
    }

    public func ssh(_ name: RepoName) -> String { sshBase + "/" + name.directoryPath }
    public func http(_ name: RepoName) -> String { httpBase + "/" + name.directoryPath }
}

/// The addresses the listeners actually bound (port 0 resolved), filled in as they start.
public final class ListenAddresses: Sendable {
    private let value = Mutex<(ssh: HostAddress?, http: HostAddress?)>((nil, nil))

    public init(ssh: HostAddress? = nil, http: HostAddress? = nil) { value.withLock { $0 = (ssh, http) } }

    public var ssh: HostAddress? { value.withLock { $0.ssh } }
    public var http: HostAddress? { value.withLock { $0.http } }
    public func setSSH(_ address: HostAddress) { value.withLock { $0.ssh = address } }
    public func setHTTP(_ address: HostAddress) { value.withLock { $0.http = address } }
}

/// `HOST:PORT` as given to `--ssh` and `--http` (IPv6 in brackets: `[::1]:2222`).
public struct HostAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public static func parse(_ text: String) -> HostAddress? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { return nil }
        return HostAddress(host: String(host), port: port)
    }

    var urlHost: String { host.contains(":") ? "[\(host)]" : host }
    public var description: String { "\(urlHost):\(port)" }
}
