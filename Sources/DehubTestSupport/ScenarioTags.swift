import Foundation

extension ScenarioConfig {
    /// An access control for release tags (format §13.3): tags matching `pattern` need `count` of `accounts`.
    public static func releasesNeed(_ count: Int, of accounts: [String], pattern: String = "v*") -> String {
        """
        - action: allow
          filters:
          - {type: tag, pattern: "\(pattern)"}
          - {type: signature, account_ids: [\(accounts.joined(separator: ", "))], count: \(count)}

        """
    }
}

extension Scenario {
    // MARK: - release tags (format §13)

    /// `dehub tag NAME` signed by `signer` (in `work` unless told otherwise), plus `arguments`; returns the tag object id.
    @discardableResult
    public func tag(_ name: String, by signer: ScenarioSigner, _ arguments: [String] = [], in folder: String? = nil) throws
        -> String
    {
        try dehubOK(["tag", name] + signer.arguments + arguments, in: folder)
        return try git(["rev-parse", "refs/tags/\(name)"], in: folder)
    }

    /// The raw message of the tag object `name`.
    public func tagMessage(_ name: String, in folder: String? = nil) throws -> String {
        let raw = try git(["cat-file", "tag", "refs/tags/\(name)"], in: folder)
        guard let range = raw.range(of: "\n\n") else { throw ScenarioError("tag \(name) has no message") }
        return String(raw[range.upperBound...])
    }

    /// An annotated tag object made with plain git, holding `message` verbatim; moves `refs/tags/NAME` locally.
    @discardableResult
    public func craftTag(_ name: String, on target: String, message: String) throws -> String {
        let relative = "tag-message-\(name.replacingOccurrences(of: "/", with: "_"))"
        try write(relative, message, in: directory.path)
        let file = directory.path + "/" + relative
        try git("tag", "-f", "-a", "--cleanup=verbatim", "-F", file, name, target)
        return try git("rev-parse", "refs/tags/\(name)")
    }
}
