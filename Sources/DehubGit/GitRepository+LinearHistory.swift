import DehubCore

extension GitRepository {
    /// The commits reachable from `tip` and not from `excluding` (nil: none excluded, root commit included), oldest
    /// first, read in one pass that follows first parents, when that history is one line: every commit on the way
    /// has at most one parent, and the walk ends at `excluding` or, with no `excluding`, at a root commit. Then the
    /// list is exactly what `commits(from:excluding:)` gives, and each commit has been read once, here. Like the
    /// topological walk it replaces, it inflates each commit without reading its header first (on a packed,
    /// deltified history that check costs as much as the read); a commit larger than `maxCommitObjectBytes` then
    /// ends it, and the verifier refuses that commit from its header.
    ///
    /// Nil when the history is not such a line (a merge on the way, `excluding` not on it) or when a commit cannot
    /// be read or parsed: the caller then walks with `commits(from:excluding:)`, which handles (and reports) each
    /// of those cases.
    ///
    /// `onLinks`, when given, receives the links as they are read, newest first, in runs of `run` (the last one
    /// shorter), so that another thread can work on them during the walk; on a nil result, what it received is void.
    public func linearHistory(
        from tip: ObjectID, excluding: ObjectID? = nil, run: Int = 512, onLinks: (([HistoryLink]) -> Void)? = nil
    ) -> [HistoryLink]? {
        var links: [HistoryLink] = []
        var handedOver = 0
        func handOver() {
            guard let onLinks, handedOver < links.count else { return }
            onLinks(Array(links[handedOver...]))
            handedOver = links.count
        }
        var next: ObjectID? = tip
        while let id = next {
            if id == excluding { break }
            guard let link = try? historyLink(id) else { return nil }
            links.append(link)
            if links.count - handedOver >= run { handOver() }
            next = link.parent
        }
        // Reached a root commit while looking for `excluding`: it is not an ancestor on this line.
        if next == nil, excluding != nil { return nil }
        handOver()
        links.reverse()
        return links
    }

    /// One commit as a link of a linear history; nil for a merge.
    private func historyLink(_ id: ObjectID) throws -> HistoryLink? {
        try withRawCommit(id, checkingHeader: false) { bytes in
            guard bytes.count <= maxCommitObjectBytes else {
                throw CommitTooLarge(commit: id, size: bytes.count, limit: maxCommitObjectBytes)
            }
            let headers = try RawCommit.Headers.parse(bytes)
            guard headers.parents.count <= 1 else { return nil }
            return HistoryLink(
                id: id, parent: headers.parents.first, tree: headers.tree,
                head: RawCommit.head(bytes, from: headers.messageStart))
        }
    }
}
