import Foundation

/// Who signs a `dehub commit`: an account, with an SSH key file or (nil) whatever dehub finds itself.
public struct ScenarioSigner: Sendable {
    public var account: String
    public var keyFile: String?

    public init(_ account: String, key: SSHTestKey?) {
        self.account = account
        self.keyFile = key?.privateKeyPath
    }

    public init(_ account: String, keyFile: String? = nil) {
        self.account = account
        self.keyFile = keyFile
    }

    public var arguments: [String] { ["--as", account] + (keyFile.map { ["--sign-key", $0] } ?? []) }
}

extension Scenario {
    // MARK: - dehub commits in `work`

    /// Writes `files` (path: contents) in `work`, stages everything, and makes a signed change commit. Returns its id.
    @discardableResult
    public func change(_ description: String, by signer: ScenarioSigner, files: [String: String] = [:]) throws -> String {
        for (path, contents) in files { try write(path, contents) }
        try git("add", "-A")
        try dehubOK(["commit"] + signer.arguments + ["change", "--descr", description])
        return try head()
    }

    @discardableResult
    public func comment(_ text: String, by signer: ScenarioSigner) throws -> String {
        try dehubOK(["commit"] + signer.arguments + ["comment", "--comment", text])
        return try head()
    }

    /// A credential commit for START (a change) or START..END.
    @discardableResult
    public func credential(start: String, end: String? = nil, description: String? = nil, by signer: ScenarioSigner) throws
        -> String
    {
        var arguments = ["commit"] + signer.arguments + ["credential", "--start", start]
        if let end { arguments += ["--end", end] }
        if let description { arguments += ["--descr", description] }
        try dehubOK(arguments)
        return try head()
    }

    public func head(_ revision: String = "HEAD", in folder: String? = nil) throws -> String {
        try git("rev-parse", "--verify", revision, in: folder)
    }

    /// The raw commit message of a commit, exactly as stored.
    public func message(of revision: String, in folder: String? = nil) throws -> String {
        let raw = try gitResult(["cat-file", "commit", revision], in: folder)
        guard raw.succeeded, let range = raw.stdoutText.range(of: "\n\n") else {
            throw ScenarioError("cannot read commit \(revision)")
        }
        return String(raw.stdoutText[range.upperBound...])
    }

    /// Creates a commit with the current index's tree, parent `parent` (default HEAD's parent chain: HEAD) and a
    /// message taken verbatim, and moves the checked-out branch to it (the index and work tree already match it).
    @discardableResult
    public func craft(message: String, parents: [String]? = nil) throws -> String {
        try git("add", "-A")
        let tree = try git("write-tree")
        let parentList = try parents ?? [head()]
        let id = try git(["commit-tree", tree] + parentList.flatMap { ["-p", $0] }, stdin: Array(message.utf8))
        try git("update-ref", "HEAD", id)
        return id
    }

    /// Replaces the `credentials:` section (to the end of the message) of a dehub message.
    public static func replacingCredentials(in message: String, with credentials: String) -> String {
        guard let range = message.range(of: "\ncredentials:") else { return message }
        return String(message[..<range.lowerBound]) + "\n" + credentials
    }

    /// The `credentials:` section of a dehub message, to its end.
    public static func credentials(in message: String) -> String {
        guard let range = message.range(of: "\ncredentials:") else { return "credentials: []\n" }
        return String(message[message.index(after: range.lowerBound)...])
    }

    // MARK: - Repositories

    /// `dehub init work`, then a root of trust on `main`: `config` (plus `extraFiles`) committed on a bootstrap
    /// thread by the first signer, accredited by the others, combined onto main. Returns main's root commit.
    @discardableResult
    public func bootstrap(_ config: ScenarioConfig, extraFiles: [String: String] = [:], signers: [ScenarioSigner]) throws
        -> String
    {
        guard let first = signers.first else { throw ScenarioError("bootstrap needs a signer") }
        try dehubOK("init", work, in: directory.path)
        try git("symbolic-ref", "HEAD", "refs/heads/bootstrap")
        var files = extraFiles
        files[".dehub/config.yml"] = config.render()
        let root = try change("Initial config", by: first, files: files)
        for signer in signers.dropFirst() { try credential(start: root, by: signer) }
        try dehubOK("combine", "--start", root, "--end", "bootstrap", "--onto", "main")
        try git("checkout", "-q", "-f", "main")
        try git("branch", "-q", "-D", "bootstrap")
        return try head("main")
    }

    /// `dehub init --bare server.git` and `dehub install-hook --repo server.git`, and `origin` in `work` pointing at it
    /// through file://.
    public func makeServer(installHook: Bool = true) throws {
        try dehubOK("init", "--bare", server, in: directory.path)
        if installHook { try dehubOK("install-hook", "--repo", server, in: directory.path) }
        if exists(work + "/.git") { try git("remote", "add", "origin", "file://" + server) }
    }

    /// `git push ARGS` from `work`, whatever its exit code.
    public func push(_ arguments: String..., environment extra: [String: String] = [:]) throws -> CommandResult {
        try gitResult(["push"] + arguments, environment: extra)
    }

    /// Where a ref of the server points, or nil when it does not exist.
    public func serverRef(_ ref: String) throws -> String? {
        let result = try gitResult(["rev-parse", "--verify", "--quiet", ref], in: server)
        guard result.succeeded else { return nil }
        return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether the server's object store holds `id` (pushed objects of a refused push are discarded).
    public func serverHasObject(_ id: String) throws -> Bool {
        try gitResult(["cat-file", "-e", id + "^{commit}"], in: server).succeeded
    }
}

extension Scenario {
    /// An `ssh_signature` credential made by hand with `ssh-keygen -Y sign -n NAMESPACE` over `signed` (by default
    /// the raw fingerprint bytes that format §6.1 says are signed), as the YAML list item dehub writes.
    public func handMadeSSHCredential(
        fingerprint base64: String, key: SSHTestKey, account: String, namespace: String = "dehub", signed: [UInt8]? = nil
    ) throws -> String {
        guard let raw = Data(base64Encoded: base64) else { throw ScenarioError("not base64: \(base64)") }
        let result = try run(
            "ssh-keygen", ["-q", "-Y", "sign", "-n", namespace, "-f", key.privateKeyPath], stdin: signed ?? Array(raw))
        guard result.succeeded else { throw CommandFailure(command: ["ssh-keygen", "-Y", "sign"], result: result) }
        let body = result.stdoutText.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let pubKey = key.publicKeyLine.split(separator: " ").prefix(2).joined(separator: " ")
        return "- type: ssh_signature\n  pub_key: \(pubKey)\n  body: \(body)\n  account: \(account)\n"
    }

    /// The `fingerprint:` value of a dehub commit's message.
    public func payloadFingerprint(of revision: String) throws -> String {
        let message = try self.message(of: revision)
        guard let line = message.split(separator: "\n").first(where: { $0.hasPrefix("fingerprint: ") }) else {
            throw ScenarioError("\(revision) has no fingerprint")
        }
        return String(line.dropFirst("fingerprint: ".count))
    }
}
