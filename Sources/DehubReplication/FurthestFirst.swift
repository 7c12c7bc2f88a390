import DehubCore

/// Orders the tips the sources serve for one branch so that a tip comes before each of its ancestors: the first
/// that verifies is the furthest verified descendant. Ties (tips on diverging lines) keep the sources' order.
enum FurthestFirst {
    static func order(_ tips: [ObjectID], isAncestor: (ObjectID, ObjectID) throws -> Bool) rethrows -> [ObjectID] {
        var depth: [ObjectID: Int] = [:]
        for tip in tips {
            depth[tip] = try tips.filter { $0 != tip }.reduce(0) { $0 + (try isAncestor($1, tip) ? 1 : 0) }
        }
        return tips.enumerated()
            .sorted { a, b in
                let (da, db) = (depth[a.element] ?? 0, depth[b.element] ?? 0)
                return da != db ? da > db : a.offset < b.offset
            }
            .map(\.element)
    }
}
