import Foundation

/// What cluster mode adds to every repo: the `reference-transaction` hook that commits ref updates to the store
/// before git moves them, and no automatic gc (its ref packing must not race the node's own ref moves). A marker
/// file in the data directory (`DATA/cluster-node`, written by `serve` in cluster mode, removed by a single host)
/// tells `HookInstaller` which mode the repos are in, so a repo created by any command gets the right hooks.
public enum ClusterRepoSetup {
    public static let marker = "# Installed by dehub-host in cluster mode"

    public static func script(data: DataDirectory) throws -> String {
        guard !data.root.contains("'") else {
            throw HostError(.config, "the data directory path must not contain a single quote")
        }
        // Only `prepared` needs the node; `committed` and `aborted` need git's input drained, not a process.
        return """
            #!/bin/sh
            \(marker): ref updates are committed to the cluster store first. Do not edit.
            if [ "$1" = prepared ]; then
              exec '\(data.hookBinary)' hook reference-transaction prepared --socket '\(data.clusterSocket)'
            fi
            while read -r _; do :; done

            """
    }

    /// Writes or removes `hooks/reference-transaction` by the data directory's mode.
    public static func apply(data: DataDirectory, repoPath: String) throws {
        let path = repoPath + "/hooks/reference-transaction"
        guard data.isClusterNode else {
            if let current = try? FileIO.readText(path), current.contains(marker) {
                try? FileManager.default.removeItem(atPath: path)
            }
            return
        }
        let script = try script(data: data)
        if let current = try? FileIO.readText(path), current == script, FileManager.default.isExecutableFile(atPath: path) {
            return
        }
        try FileIO.writeAtomically(script, to: path, mode: 0o755)
    }

    /// Git settings of a repo on a cluster node.
    static let gitSettings: [(String, String)] = [("gc.auto", "0"), ("receive.autogc", "false")]
}

extension DataDirectory {
    /// The Unix socket the `reference-transaction` hook reaches the host at (cluster mode).
    public var clusterSocket: String { root + "/cluster.sock" }
    /// Present while the data directory belongs to a cluster node (holds the node id).
    public var clusterNodeFile: String { root + "/cluster-node" }
    public var isClusterNode: Bool { FileIO.exists(clusterNodeFile) }
}
