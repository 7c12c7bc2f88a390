import Crypto

/// What a node publishes of the access config it applies on its own, so that `cluster status` can flag nodes that
/// disagree: admins, tokens and readers stay in each node's data directory (docs/cluster.md, "Admins, tokens and
/// readers"), and a proxied request is judged by the node that serves it. Each part is the first 12 hex digits of
/// a SHA-256 over its sorted lines: admin keys; the token set as the host stores it (hashes and keys, never a
/// token); every repo's readers; and the push policy in clear.
/// Written `admins=HEX tokens=HEX readers=HEX push=POLICY`.
struct AccessDigest: Equatable, Sendable, CustomStringConvertible {
    var admins: String
    var tokens: String
    var readers: String
    var push: String

    static func of(data: DataDirectory, config: HostConfig) -> AccessDigest {
        let repos = RepoStore(data: data)
        let readers = repos.list().sorted { $0.path < $1.path }.flatMap { name in
            repos.readers(of: name).map { "\(name.path) \($0.openSSHLine)" }.sorted()
        }
        return AccessDigest(
            admins: hash(data.admins().map(\.openSSHLine)),
            tokens: hash(TokenStore(path: data.tokensFile).entries().map { "\($0.hash) \($0.key.openSSHLine)" }),
            readers: hash(readers), push: config.pushPolicy.rawValue)
    }

    static func hash(_ lines: [String]) -> String {
        let digest = SHA256.hash(data: Array(lines.sorted().joined(separator: "\n").utf8))
        return digest.prefix(6).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
    }

    var description: String { "admins=\(admins) tokens=\(tokens) readers=\(readers) push=\(push)" }

    /// Parses the published form (nil: a node too old to publish one, or not this form).
    init?(published: String) {
        var parts: [String: String] = [:]
        for field in published.split(separator: " ") {
            let pair = field.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            parts[String(pair[0])] = String(pair[1])
        }
        guard let admins = parts["admins"], let tokens = parts["tokens"], let readers = parts["readers"],
            let push = parts["push"], parts.count == 4
        else { return nil }
        self.init(admins: admins, tokens: tokens, readers: readers, push: push)
    }

    init(admins: String, tokens: String, readers: String, push: String) {
        self.admins = admins
        self.tokens = tokens
        self.readers = readers
        self.push = push
    }

    /// The parts in which `other` differs from this one, by name.
    func differences(from other: AccessDigest) -> [String] {
        [
            ("admins", admins == other.admins), ("tokens", tokens == other.tokens), ("readers", readers == other.readers),
            ("push policy", push == other.push),
        ].filter { !$0.1 }.map(\.0)
    }
}
