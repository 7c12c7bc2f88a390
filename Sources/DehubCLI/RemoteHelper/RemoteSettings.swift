import DehubCore
import DehubReplication

#if canImport(Glibc)
    import Glibc
#endif

/// What the helper reads of the user's repository: the remote's pinned root (`remote.NAME.dehubRoot`), its extra
/// mirrors (`remote.NAME.dehubMirror`, repeatable) and where its replica cache lives
/// (`GIT_DIR/dehub/replicas/NAME.git`).
struct RemoteSettings {
    /// The remote's name; nil when git was given the URL itself (`git ls-remote dehub::URL`).
    let remote: String?
    let url: String
    /// The user's repository; nil outside one (`git ls-remote` anywhere).
    let gitDir: String?
    let git: GitTool
    /// The remote's dehub settings, read once.
    let cachedSettings = SettingsBox()

    static func from(arguments: [String], git: GitTool) -> RemoteSettings {
        let name = arguments.count > 1 ? arguments[1] : ""
        let url = arguments.count > 2 ? arguments[2] : String(name.dropFirst(name.hasPrefix("dehub::") ? 7 : 0))
        let anonymous = name.isEmpty || name == url || name.contains("::") || name.contains("/")
        var gitDir = getenv("GIT_DIR").map { String(cString: $0) }
        if let dir = gitDir, !dir.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: 4096)
            if getcwd(&buffer, buffer.count) != nil {
                gitDir = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + dir
            }
        }
        return RemoteSettings(remote: anonymous ? nil : name, url: url, gitDir: gitDir, git: git)
    }

    /// `remote.NAME.KEY`, every value (all of the remote's dehub settings are read by one git run).
    func values(_ key: String) async throws -> [String] {
        guard let remote else { return [] }
        if cachedSettings.value == nil, let gitDir {
            let output = try await git.run(
                ["config", "--null", "--get-regexp", "^remote\\.\(Self.escaped(remote))\\.dehub"], gitDir: gitDir)
            cachedSettings.set(output.succeeded ? Self.parse(output.stdout) : [])
        }
        let wanted = "remote.\(remote).\(key)".lowercased()
        return (cachedSettings.value ?? []).filter { $0.key.lowercased() == wanted }.map(\.value)
    }

    /// `git config --null --get-regexp` output: `KEY\nVALUE\0` records.
    static func parse(_ text: String) -> [(key: String, value: String)] {
        text.split(separator: "\0").map { record in
            let parts = record.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
    }

    /// A remote name as a literal in a regular expression.
    static func escaped(_ name: String) -> String {
        String(name.flatMap { "\\^$.|?*+()[]{}".contains($0) ? ["\\", $0] : [$0] })
    }

    func pinnedRoot() async throws -> ObjectID? {
        guard let text = try await values("dehubRoot").last else { return nil }
        guard let root = ObjectID(hex: text) else {
            throw RemoteHelperFailure(
                "git config remote.\(remote ?? "").dehubRoot is '\(text.prefix(64))', not a 40-digit commit id",
                hint: "set it to the root commit of main the project publishes")
        }
        return root
    }

    func sources() async throws -> [ReplicationSource] {
        let mirrors = try await values("dehubMirror").filter { $0 != url }
        return [ReplicationSource(url: url)] + mirrors.map { ReplicationSource(url: $0) }
    }

    func pin(_ root: ObjectID) async throws {
        guard let remote, let gitDir else { return }
        try await git.check(["config", "remote.\(remote).dehubRoot", root.hex], gitDir: gitDir)
    }

    /// The replica cache's path: inside the user's repository, one per remote (or per URL); nil outside a
    /// repository (the caller then uses a temporary one).
    var cachePath: String? {
        guard let gitDir else { return nil }
        let name: String
        if let remote {
            name = "remote-" + String(remote.unicodeScalars.map { Self.safe($0) ? Character($0) : "_" })
        } else {
            // FNV-1a: only a file name, not a security boundary (what the cache holds is verified all the same).
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in url.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            name = "url-" + String(hash, radix: 16)
        }
        return gitDir + "/dehub/replicas/" + name + ".git"
    }

    private static func safe(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_" || c == ".")
    }
}

/// The settings read once per run (the helper is one process, one thread).
final class SettingsBox {
    private(set) var value: [(key: String, value: String)]?
    func set(_ value: [(key: String, value: String)]) { self.value = value }
}
