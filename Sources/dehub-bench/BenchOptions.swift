#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The command line of dehub-bench, parsed by hand (the tool depends on nothing but dehub's own libraries).
struct BenchOptions {
    enum Mode {
        case ssh
        case pgp(gnupgHome: String, key: String)
    }

    struct UsageError: Error {
        var message: String
    }

    var mode: Mode
    var commits: Int
    var out: String
    var files = 100

    init<Arguments: Collection>(_ arguments: Arguments) throws where Arguments.Element == String {
        guard let command = arguments.first else { throw UsageError(message: "missing command") }
        var values: [String: String] = [:]
        var rest = arguments.dropFirst()
        while let name = rest.first {
            guard ["--commits", "--out", "--files", "--gnupghome", "--key"].contains(name) else {
                throw UsageError(message: "unknown option '\(name)'")
            }
            guard let value = rest.dropFirst().first else { throw UsageError(message: "\(name) needs a value") }
            values[name] = value
            rest = rest.dropFirst(2)
        }
        guard let commitsText = values["--commits"], let commits = Int(commitsText), commits >= 0 else {
            throw UsageError(message: "--commits N (a number >= 0) is required")
        }
        guard let out = values["--out"], !out.isEmpty else { throw UsageError(message: "--out DIR is required") }
        if let filesText = values["--files"] {
            guard let files = Int(filesText), files >= 1 else { throw UsageError(message: "--files K must be >= 1") }
            self.files = files
        }
        switch command {
        case "generate-ssh":
            mode = .ssh
        case "generate-pgp":
            guard let home = values["--gnupghome"], let key = values["--key"] else {
                throw UsageError(message: "generate-pgp needs --gnupghome HOME and --key KEYID")
            }
            mode = .pgp(gnupgHome: home, key: key)
        default:
            throw UsageError(message: "unknown command '\(command)'")
        }
        self.commits = commits
        // Absolute, because git reads gpg.ssh.allowedSignersFile (written under it) from any directory.
        self.out = out.hasPrefix("/") ? out : FileManager.default.currentDirectoryPath + "/" + out
    }
}
