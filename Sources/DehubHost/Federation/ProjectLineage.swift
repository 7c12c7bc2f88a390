import Foundation

/// What the host knows of one repository's place among projects, kept in `NAME.git/dehub-lineage.json`:
///
///     {"version": 1, "id": "ROOT", "mirror_of": "URL", "forked_from": [{"id": "ROOT", "url": "URL", "at": "ISO 8601"}]}
///
/// A project's identity is the root commit of its `main` (its root of trust), not its name: two repositories with
/// the same root are the same project. `id` is the last root the host saw (nil while `main` does not exist);
/// `mirror_of` is the upstream a read-only mirror follows; `forked_from` lists the parents of a derivative (several
/// for a project derived from more than one). The file lives in the repository's directory like `dehub-private`,
/// so copying a repository copies its lineage.
public struct ProjectLineage: Codable, Equatable, Sendable {
    public struct Parent: Codable, Equatable, Sendable {
        /// The parent project's id (its root commit) when the fork was made.
        public var id: String?
        /// Where the parent was served from (a clone URL).
        public var url: String
        /// When the fork was made (ISO 8601, UTC, seconds).
        public var at: String

        public init(id: String?, url: String, at: String) {
            self.id = id
            self.url = url
            self.at = at
        }
    }

    public var version: Int = 1
    public var id: String?
    public var mirrorOf: String?
    public var forkedFrom: [Parent] = []

    public init(id: String? = nil, mirrorOf: String? = nil, forkedFrom: [Parent] = []) {
        self.id = id
        self.mirrorOf = mirrorOf
        self.forkedFrom = forkedFrom
    }

    enum CodingKeys: String, CodingKey {
        case version, id
        case mirrorOf = "mirror_of"
        case forkedFrom = "forked_from"
    }

    public static let fileName = "dehub-lineage.json"

    /// The current time as the `at` of a fork.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
