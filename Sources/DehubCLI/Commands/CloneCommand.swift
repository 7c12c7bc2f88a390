import ArgumentParser
import DehubCore

struct CloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone",
        abstract: "Clone through git-remote-dehub: only history that verifies from the root of trust is fetched.",
        discussion: """
            Runs `git clone dehub::URL DIR`, with pushes going to URL itself (remote.origin.pushurl). --root pins \
            the root commit of main the project publishes (remote.origin.dehubRoot); without it, the root is pinned \
            on first use and the accounts and keys it trusts are printed. --mirror adds sources to fetch from \
            (remote.origin.dehubMirror): the furthest verified history wins. See docs/replication.md.
            """)

    @Option(help: ArgumentHelp("The root commit of main to trust (40 hex digits).", valueName: "OID")) var root: String?
    @Option(help: ArgumentHelp("Another URL to fetch from (repeatable).", valueName: "URL")) var mirror: [String] = []
    @Argument(help: "The repository's URL (any URL git fetches from).") var url: String
    @Argument(help: "The directory to clone into.") var directory: String?

    func validate() throws {
        if let root, ObjectID(hex: root) == nil { throw ValidationError("--root takes a 40-digit commit id") }
        if url.hasPrefix("dehub::") { throw ValidationError("give the URL without dehub::") }
    }

    func run() async throws {
        try await ErrorPresenter.run {
            var arguments = ["clone", "-c", "remote.origin.pushurl=\(url)"]
            if let root { arguments += ["-c", "remote.origin.dehubRoot=\(root.lowercased())"] }
            for mirror in mirror { arguments += ["-c", "remote.origin.dehubMirror=\(mirror)"] }
            arguments += ["--", "dehub::" + url] + (directory.map { [$0] } ?? [])
            let status = try GitPassthrough.run(arguments)
            return status == 0 ? .ok : .notVerifiable
        }
    }
}
