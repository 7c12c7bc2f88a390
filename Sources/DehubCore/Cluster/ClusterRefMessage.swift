/// The contract between the `reference-transaction` hook and a cluster node's host, over the Unix socket in the
/// data directory (`DATA/cluster.sock`): the hook sends the exact ref updates git has locked (state `prepared`),
/// and the host answers whether the cluster store took them. One request and one answer a connection, as text:
///
///     dehub-ref-transaction 1
///     git-dir /DATA/repos/demo.git
///     role member
///     token SECRET                (`DEHUB_CLUSTER_TOKEN`: only git the host started may commit)
///     push ID                     (`DEHUB_CLUSTER_PUSH`: which client request this is, for its refusal message)
///     update OLD NEW REF          (one line a ref; OLD or NEW all zeros: absent)
///     end
///
/// answered by `ok` or `refused MESSAGE`, each on one line.
public struct ClusterRefRequest: Equatable, Sendable {
    public struct Update: Equatable, Sendable {
        public var old: String
        public var new: String
        public var ref: String

        public init(old: String, new: String, ref: String) {
            self.old = old
            self.new = new
            self.ref = ref
        }
    }

    public var gitDirectory: String
    /// `DEHUB_PUSHER_ROLE` as the hook saw it (empty when not set).
    public var role: String
    /// `DEHUB_CLUSTER_TOKEN` as the hook saw it: the host puts it in the environment of the git it runs for a push,
    /// so a ref update by anything else on the machine (a `git update-ref` in a shell) is refused, not committed.
    public var token: String
    /// `DEHUB_CLUSTER_PUSH`: the host's id of the client request, so it can tell that client why its push was refused.
    public var push: String
    public var updates: [Update]

    public init(gitDirectory: String, role: String, token: String, push: String = "", updates: [Update]) {
        self.gitDirectory = gitDirectory
        self.role = role
        self.token = token
        self.push = push
        self.updates = updates
    }

    public static let tokenVariable = "DEHUB_CLUSTER_TOKEN"
    public static let pushVariable = "DEHUB_CLUSTER_PUSH"

    public static let header = "dehub-ref-transaction 1"
    /// Large enough for `RefTransaction.maxChanges` updates with long names, small enough to hold in memory.
    public static let maxBytes = 512 * 1024
    public static let maxUpdates = 1000

    public var encoded: String {
        var lines = [Self.header, "git-dir \(gitDirectory)", "role \(role)", "token \(token)", "push \(push)"]
        lines += updates.map { "update \($0.old) \($0.new) \($0.ref)" }
        lines.append("end")
        return lines.joined(separator: "\n") + "\n"
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case incomplete
        case malformed(String)
        case tooLarge

        public var description: String {
            switch self {
            case .incomplete: "the request ended early"
            case .malformed(let line): "a malformed request line: \(line.prefix(100))"
            case .tooLarge: "the request is too large"
            }
        }
    }

    /// Parses a complete request; `incomplete` while the `end` line has not arrived.
    public static func decode(_ text: String) throws(Problem) -> ClusterRefRequest {
        guard text.utf8.count <= maxBytes else { throw .tooLarge }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let endIndex = lines.firstIndex(of: "end") else { throw .incomplete }
        lines = Array(lines[..<endIndex])
        guard lines.count >= 5, lines[0] == header else { throw .malformed(lines.first ?? "") }
        guard lines[1].hasPrefix("git-dir /") else { throw .malformed(lines[1]) }
        guard lines[2].hasPrefix("role ") else { throw .malformed(lines[2]) }
        guard lines[3].hasPrefix("token ") else { throw .malformed(lines[3]) }
        guard lines[4].hasPrefix("push ") else { throw .malformed(lines[4]) }
        let gitDirectory = String(lines[1].dropFirst("git-dir ".count))
        let role = String(lines[2].dropFirst("role ".count))
        let token = String(lines[3].dropFirst("token ".count))
        let push = String(lines[4].dropFirst("push ".count))
        var updates: [Update] = []
        for line in lines.dropFirst(5) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0] == "update", !parts[3].isEmpty else { throw .malformed(line) }
            updates.append(Update(old: String(parts[1]), new: String(parts[2]), ref: String(parts[3])))
        }
        guard updates.count <= maxUpdates else { throw .tooLarge }
        return ClusterRefRequest(gitDirectory: gitDirectory, role: role, token: token, push: push, updates: updates)
    }
}

/// The host's answer to a `ClusterRefRequest`.
public enum ClusterRefAnswer: Equatable, Sendable {
    case ok
    case refused(String)

    public var encoded: String {
        switch self {
        case .ok: "ok\n"
        case .refused(let message):
            "refused " + String(message.map { $0 == "\n" || $0 == "\r" ? " " : $0 }) + "\n"
        }
    }

    /// Parses the answer; anything else than `ok` is a refusal (fail closed).
    public static func decode(_ text: String) -> ClusterRefAnswer {
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if line == "ok" { return .ok }
        if line.hasPrefix("refused ") { return .refused(String(line.dropFirst("refused ".count))) }
        return .refused("the cluster node gave no answer")
    }
}
