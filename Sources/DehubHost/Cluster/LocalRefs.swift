import DehubCluster
import Foundation

/// A bare repo's refs read straight from its files (loose refs under `refs/` over `packed-refs`), without a git
/// process: cheap enough to compare a replica's checksum with the store's on every request.
enum LocalRefs {
    static func read(_ repo: String) -> [String: String] {
        var refs: [String: String] = [:]
        if let packed = try? String(contentsOfFile: repo + "/packed-refs", encoding: .utf8) {
            for line in packed.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("^") {
                let parts = line.split(separator: " ", maxSplits: 1)
                if parts.count == 2, RefTransaction.isObjectID(String(parts[0])) { refs[String(parts[1])] = String(parts[0]) }
            }
        }
        walk(repo, relative: "refs", into: &refs)
        return refs
    }

    private static func walk(_ repo: String, relative: String, into refs: inout [String: String]) {
        let directory = repo + "/" + relative
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where !entry.hasSuffix(".lock") {
            let path = directory + "/" + entry
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                walk(repo, relative: relative + "/" + entry, into: &refs)
            } else if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if RefTransaction.isObjectID(value) { refs[relative + "/" + entry] = value }
            }
        }
    }

    static func checksum(_ repo: String) -> ReplicaChecksum { ReplicaChecksum(refs: read(repo)) }
}
