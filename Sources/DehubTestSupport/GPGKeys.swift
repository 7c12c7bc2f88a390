import Foundation

/// A throw-away GnuPG home for tests: keys are made with the real `gpg`, signatures made and checked with it.
/// The home is private (0700) under /tmp (short, so gpg-agent's socket path fits). `close()` stops the agent
/// that signing starts and removes the directory. Call it in a `defer` right after making the home: ARC may
/// release an object after its last use, so leaning on deinit alone could remove the home while gpg still uses
/// its path. Deinit closes it too, as a fallback.
public final class GPGHome: @unchecked Sendable {
    public let path: String
    private let environment: [String: String]
    private var isClosed = false

    public init() throws {
        var template = Array("/tmp/dehub-gpg.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw GPGProcessFailure(description: "mkdtemp failed") }
        path = String(cString: made)
        chmod(path, 0o700)
        environment = [
            "GNUPGHOME": path, "HOME": path, "LANG": "C", "LC_ALL": "C",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
    }

    deinit { close() }

    /// Stops this home's gpg-agent and removes the directory. Safe to call twice.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = try? GPGProcess.run("/usr/bin/gpgconf", ["--homedir", path, "--kill", "all"], environment: environment)
        // The agent may still be removing its sockets while we delete; try a few times.
        for _ in 0..<10 {
            try? FileManager.default.removeItem(atPath: path)
            guard FileManager.default.fileExists(atPath: path) else { return }
            usleep(50_000)
        }
    }

    /// Runs gpg in this home; returns the result whatever the exit code.
    @discardableResult
    public func run(_ arguments: [String], input: [UInt8] = []) throws -> GPGProcessResult {
        try GPGProcess.run(
            "/usr/bin/gpg", ["--homedir", path, "--batch", "--no-tty"] + arguments, environment: environment, input: input)
    }

    /// Runs gpg in this home and throws unless it exits 0.
    @discardableResult
    public func gpg(_ arguments: [String], input: [UInt8] = []) throws -> GPGProcessResult {
        let result = try run(arguments, input: input)
        guard result.exitCode == 0 else {
            throw GPGProcessFailure(
                description: "gpg \(arguments.joined(separator: " ")) exited \(result.exitCode): \(result.stderr)")
        }
        return result
    }

    /// `--faked-system-time` arguments for a fixed date such as "20200101T000000".
    public static func at(_ time: String?) -> [String] {
        time.map { ["--faked-system-time", "\($0)!"] } ?? []
    }

    /// Makes a passphrase-less key (`algorithm`: ed25519, rsa3072, ...; `usage`: sign, cert, ...;
    /// `expire`: never, 1d, ...) and returns its fingerprint.
    @discardableResult
    public func generateKey(
        _ userID: String, algorithm: String = "ed25519", usage: String = "sign", expire: String = "never", at time: String? = nil
    ) throws -> String {
        try gpg(Self.at(time) + ["--passphrase", "", "--quick-gen-key", userID, algorithm, usage, expire])
        return try fingerprint(of: userID)
    }

    /// Adds a subkey to the key `fingerprint` and returns the subkey's fingerprint.
    @discardableResult
    public func addSubkey(to fingerprint: String, algorithm: String = "ed25519", usage: String = "sign", at time: String? = nil)
        throws -> String
    {
        let before = try subkeyFingerprints(of: fingerprint)
        try gpg(Self.at(time) + ["--passphrase", "", "--quick-add-key", fingerprint, algorithm, usage])
        guard let added = try subkeyFingerprints(of: fingerprint).first(where: { !before.contains($0) }) else {
            throw GPGProcessFailure(description: "no new subkey on \(fingerprint)")
        }
        return added
    }

    /// Fingerprint of the primary key matching `pattern`.
    public func fingerprint(of pattern: String) throws -> String {
        let listing = try gpg(["--with-colons", "--list-keys", pattern]).stdoutText
        guard let line = listing.split(separator: "\n").first(where: { $0.hasPrefix("fpr:") }) else {
            throw GPGProcessFailure(description: "no key for \(pattern)")
        }
        return String(line.split(separator: ":", omittingEmptySubsequences: false)[9])
    }

    /// Fingerprints of the subkeys of `pattern`, in order.
    public func subkeyFingerprints(of pattern: String) throws -> [String] {
        let lines = try gpg(["--with-colons", "--list-keys", pattern]).stdoutText.split(separator: "\n")
        var result: [String] = []
        for (index, line) in lines.enumerated() where line.hasPrefix("sub:") && index + 1 < lines.count {
            result.append(String(lines[index + 1].split(separator: ":", omittingEmptySubsequences: false)[9]))
        }
        return result
    }

    public func exportPublicKey(_ pattern: String) throws -> String {
        try gpg(["--armor", "--export", pattern]).stdoutText
    }

    /// A binary detached signature made by the gpg CLI (`key` may end with `!` to force a subkey).
    public func detachSign(_ message: [UInt8], key: String, digest: String? = nil, at time: String? = nil) throws -> [UInt8] {
        let digestArguments = digest.map { ["--digest-algo", $0] } ?? []
        return try gpg(Self.at(time) + digestArguments + ["--local-user", key, "--detach-sign", "--output", "-"], input: message)
            .stdout
    }

    /// Runs `gpg --verify` and reports the status lines.
    public func verify(signature: [UInt8], message: [UInt8]) throws -> GPGVerification {
        let directory = path + "/verify"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let signatureFile = directory + "/message.sig", messageFile = directory + "/message"
        try Data(signature).write(to: URL(fileURLWithPath: signatureFile))
        try Data(message).write(to: URL(fileURLWithPath: messageFile))
        let result = try run(["--status-fd", "1", "--verify", signatureFile, messageFile])
        return GPGVerification(exitCode: result.exitCode, status: result.stdoutText.split(separator: "\n").map(String.init))
    }

    /// Revokes the primary key with the revocation certificate gpg wrote when it made the key.
    public func revokeKey(_ fingerprint: String) throws {
        let certificate = try String(contentsOfFile: "\(path)/openpgp-revocs.d/\(fingerprint).rev", encoding: .utf8)
        let importable = certificate.replacingOccurrences(of: ":-----BEGIN", with: "-----BEGIN")
        try gpg(["--import"], input: Array(importable.utf8))
    }

    /// Revokes subkey number `index` (1-based, in key order) of `fingerprint` through `--edit-key`.
    public func revokeSubkey(of fingerprint: String, index: Int) throws {
        let commands = "key \(index)\nrevkey\ny\n0\n\ny\nsave\n"
        try gpg(
            ["--yes", "--pinentry-mode", "loopback", "--passphrase", "", "--command-fd", "0", "--edit-key", fingerprint],
            input: Array(commands.utf8))
    }

    /// Sets the expiry of the primary key (`expire`: 1d, 2y, never, ...), as of `time`.
    public func setExpiry(_ fingerprint: String, _ expire: String, at time: String? = nil) throws {
        try gpg(Self.at(time) + ["--quick-set-expire", fingerprint, expire])
    }
}

/// What `gpg --verify --status-fd` said.
public struct GPGVerification: Sendable {
    public var exitCode: Int32
    public var status: [String]

    /// True when gpg found the signature cryptographically good (`VALIDSIG`), whatever it thinks of the key.
    public var isValid: Bool { status.contains { $0.hasPrefix("[GNUPG:] VALIDSIG ") } }
    /// True for `GOODSIG`: valid, and the key was neither expired nor revoked at verification time.
    public var isGood: Bool { status.contains { $0.hasPrefix("[GNUPG:] GOODSIG ") } }
    public var isBad: Bool { status.contains { $0.hasPrefix("[GNUPG:] BADSIG ") } }
    public func has(_ keyword: String) -> Bool { status.contains { $0.hasPrefix("[GNUPG:] \(keyword)") } }
    /// The fingerprint of the key that made a valid signature (`VALIDSIG`'s first field).
    public var signingFingerprint: String? {
        status.first { $0.hasPrefix("[GNUPG:] VALIDSIG ") }.map { String($0.split(separator: " ")[2]) }
    }
}
