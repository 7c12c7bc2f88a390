import Foundation

/// Key kinds tests make with `ssh-keygen`.
public enum SSHTestKeyType: String, CaseIterable, Sendable, CustomStringConvertible {
    case ed25519, ecdsa256, ecdsa384, ecdsa521, rsa3072

    var keygenArguments: [String] {
        switch self {
        case .ed25519: ["-t", "ed25519"]
        case .ecdsa256: ["-t", "ecdsa", "-b", "256"]
        case .ecdsa384: ["-t", "ecdsa", "-b", "384"]
        case .ecdsa521: ["-t", "ecdsa", "-b", "521"]
        case .rsa3072: ["-t", "rsa", "-b", "3072"]
        }
    }

    public var description: String { rawValue }
}

/// A key pair made by `ssh-keygen` without a passphrase.
public struct SSHTestKey: Sendable {
    public var type: SSHTestKeyType
    public var privateKeyPath: String
    public var publicKeyPath: String
    /// The whole `.pub` line, comment included, without the newline.
    public var publicKeyLine: String
}

/// A temporary directory for SSH tests: keys, messages, signatures and an optional ssh-agent.
/// OpenSSH tools run with `HOME` pointing here and without the caller's `SSH_AUTH_SOCK`.
/// Everything is removed (and the agent stopped) when the workspace is released.
public final class SSHTestWorkspace: @unchecked Sendable {
    public let directory: String
    private let lock = NSLock()
    private var agentPIDs: [pid_t] = []

    public init() throws {
        var template = Array((NSTemporaryDirectory() + "/dehub-ssh-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        directory = String(cString: made)
    }

    deinit {
        for pid in agentPIDs { kill(pid, SIGTERM) }  // agents this workspace started, by their own pid
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The environment every OpenSSH tool gets here.
    public var environment: [String: String?] { ["HOME": directory, "SSH_AUTH_SOCK": nil, "SSH_AGENT_PID": nil] }

    public func path(_ name: String) -> String { directory + "/" + name }

    /// Makes a key pair `name` / `name.pub` with `ssh-keygen -q -N ''`.
    public func makeKey(_ type: SSHTestKeyType, name: String? = nil) throws -> SSHTestKey {
        let file = path(name ?? "id_\(type.rawValue)")
        try CommandRunner.check(
            "ssh-keygen", ["-q"] + type.keygenArguments + ["-N", "", "-C", "\(type.rawValue)@dehub.test", "-f", file],
            environment: environment)
        let line = try String(contentsOfFile: file + ".pub", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return SSHTestKey(type: type, privateKeyPath: file, publicKeyPath: file + ".pub", publicKeyLine: line)
    }

    /// Writes bytes to a file here and returns its path.
    @discardableResult
    public func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// `ssh-keygen -Y sign`: the armoured signature over `message`.
    /// `options` are extra `-O` options, e.g. `["hashalg=sha256"]`.
    public func keygenSign(_ message: [UInt8], keyFile: String, namespace: String = "dehub", options: [String] = [],
                           extraEnvironment: [String: String?] = [:]) throws -> String {
        let env = environment.merging(extraEnvironment) { _, new in new }
        let arguments = ["-q", "-Y", "sign", "-n", namespace, "-f", keyFile] + options.flatMap { ["-O", $0] }
        return try CommandRunner.check("ssh-keygen", arguments, environment: env, stdin: message).stdoutText
    }

    /// `ssh-keygen -Y verify` of an armoured signature against one trusted key. True when it exits 0.
    public func keygenVerifies(_ message: [UInt8], armoredSignature: String, publicKeyLine: String,
                               namespace: String = "dehub") throws -> Bool {
        let id = UUID().uuidString
        let signers = try write(Array("signer@dehub.test \(publicKeyLine)\n".utf8), to: "allowed-\(id)")
        let sig = try write(Array(armoredSignature.utf8), to: "sig-\(id)")
        return try CommandRunner.run(
            "ssh-keygen", ["-Y", "verify", "-f", signers, "-I", "signer@dehub.test", "-n", namespace, "-s", sig],
            environment: environment, stdin: message
        ).succeeded
    }

    /// Starts `ssh-agent -a SOCKET` (stopped with the workspace) and returns `SSH_AUTH_SOCK` for it.
    public func startAgent() throws -> String {
        let socket = path("agent-\(UUID().uuidString.prefix(8)).sock")
        let out = try CommandRunner.check("ssh-agent", ["-s", "-a", socket], environment: environment).stdoutText
        guard let range = out.range(of: "SSH_AGENT_PID="),
            let pid = pid_t(out[range.upperBound...].prefix(while: \.isNumber))
        else { throw CommandFailure(command: ["ssh-agent"], result: .init(exitCode: 0, stdout: Array(out.utf8), stderr: [])) }
        lock.withLock { agentPIDs.append(pid) }
        return socket
    }

    /// `ssh-add KEYFILE` into the agent at `socket`.
    public func addToAgent(_ key: SSHTestKey, socket: String) throws {
        try CommandRunner.check("ssh-add", ["-q", key.privateKeyPath],
                                environment: environment.merging(["SSH_AUTH_SOCK": socket]) { _, new in new })
    }
}

/// One key of each type plus a spare Ed25519 key, made once per test process by `ssh-keygen`
/// (RSA-3072 is slow to make) in a shared workspace.
public final class SSHSharedKeys: Sendable {
    public static let shared: SSHSharedKeys = {
        do { return try SSHSharedKeys() } catch { fatalError("cannot make SSH test keys: \(error)") }
    }()

    /// A commit-like message for tests to sign.
    public static let sampleMessage = Array(
        "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@example.com> 0 +0000\n\nhello\n".utf8)

    public let workspace: SSHTestWorkspace
    private let keys: [SSHTestKeyType: SSHTestKey]
    /// A second Ed25519 key, for wrong-key cases.
    public let otherKey: SSHTestKey

    private init() throws {
        workspace = try SSHTestWorkspace()
        var keys: [SSHTestKeyType: SSHTestKey] = [:]
        for type in SSHTestKeyType.allCases { keys[type] = try workspace.makeKey(type) }
        self.keys = keys
        otherKey = try workspace.makeKey(.ed25519, name: "id_other")
    }

    public func key(_ type: SSHTestKeyType) -> SSHTestKey {
        guard let key = keys[type] else { preconditionFailure("no shared key of type \(type)") }
        return key
    }
}
